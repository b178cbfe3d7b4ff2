from django.urls import path

from inspections import intake_views, tracking_views, views

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
        "findings/<int:pk>/move/<slug:direction>/",
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
    path("action-plan/", tracking_views.action_plan, name="action-plan"),
    path("action-plan/pdf/", tracking_views.action_plan_pdf, name="action-plan-pdf"),
    path(
        "inspections/<int:pk>/action-plan/",
        tracking_views.action_plan_inspection,
        name="action-plan-inspection",
    ),
    path(
        "inspections/<int:pk>/action-plan/pdf/",
        tracking_views.action_plan_inspection_pdf,
        name="action-plan-inspection-pdf",
    ),
    path(
        "inspections/<int:pk>/action-plan/publish/",
        tracking_views.action_plan_publish,
        name="action-plan-publish",
    ),
    path("findings/<int:pk>/tracking/", tracking_views.finding_tracking, name="finding-tracking"),
    path(
        "findings/<int:pk>/tracking/owner/",
        tracking_views.finding_tracking_update,
        name="finding-tracking-update",
    ),
    path(
        "findings/<int:pk>/tracking/progress/",
        tracking_views.finding_progress_add,
        name="finding-progress-add",
    ),
    path(
        "findings/<int:pk>/tracking/target/",
        tracking_views.finding_target_revise,
        name="finding-target-revise",
    ),
    path(
        "findings/<int:pk>/tracking/hmicfrs/",
        tracking_views.finding_hmicfrs_position,
        name="finding-hmicfrs-position",
    ),
    path(
        "submissions/<int:pk>/decide/",
        tracking_views.submission_decide,
        name="submission-decide",
    ),
    path(
        "submissions/<int:pk>/files/<int:file_pk>/",
        tracking_views.submission_file,
        name="submission-file",
    ),
    path(
        "findings/<int:pk>/tracking/evidence/<int:update_pk>/",
        tracking_views.progress_evidence,
        name="progress-evidence",
    ),
]
