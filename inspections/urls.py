from django.urls import path

from inspections import intake_views, views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
]

urlpatterns += [
    path(
        "inspections/<int:pk>/findings/paste/",
        intake_views.findings_paste,
        name="findings-paste",
    ),
    path(
        "inspections/<int:pk>/findings/confirm/",
        intake_views.findings_confirm,
        name="findings-confirm",
    ),
]
