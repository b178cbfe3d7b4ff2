from django.urls import path

from inspections import public_views

urlpatterns = [
    path("action-plans/", public_views.fire_action_plans, name="public-action-plans"),
    path(
        "action-plans/<uuid:public_id>/",
        public_views.fire_action_plan,
        name="public-action-plan",
    ),
    path(
        "action-plans/<uuid:public_id>/pdf/",
        public_views.fire_action_plan_pdf,
        name="public-action-plan-pdf",
    ),
]
