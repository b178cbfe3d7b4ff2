from django.urls import path

from inspections import intake_views, views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection-edit"),
    path("inspections/<int:pk>/history/", views.inspection_history, name="inspection-history"),
    path("inspections/<int:pk>/findings/new/", views.finding_add, name="finding-add"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding-edit"),
    path("findings/<int:pk>/delete/", views.finding_delete, name="finding-delete"),
    path(
        "findings/<int:pk>/move/<str:direction>/",
        views.finding_move,
        name="finding-move",
    ),
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
