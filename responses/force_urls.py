"""The force's own pages, under /force/ (responses.force_views)."""

from django.urls import path

from responses import force_views

urlpatterns = [
    path("", force_views.force_home, name="force-home"),
    path("inspections/", force_views.force_inspection_list, name="force-inspection-list"),
    path("inspections/<int:pk>/", force_views.force_inspection, name="force-inspection"),
    path("findings/<int:pk>/", force_views.force_finding, name="force-finding"),
    path(
        "findings/<int:pk>/progress/",
        force_views.force_progress_submit,
        name="force-progress-submit",
    ),
    path(
        "submissions/<int:pk>/files/<int:file_pk>/",
        force_views.force_submission_file,
        name="force-submission-file",
    ),
    path("invitations/<int:pk>/", force_views.force_invitation, name="force-invitation"),
    path(
        "invitations/<int:pk>/comments/", force_views.force_comments, name="force-comments"
    ),
    path(
        "comments/<int:pk>/attachments/<int:attachment_pk>/",
        force_views.force_attachment,
        name="force-attachment",
    ),
    path(
        "comments/<int:pk>/attachments/<int:attachment_pk>/remove/",
        force_views.force_attachment_remove,
        name="force-attachment-remove",
    ),
]
