from django.urls import path

from responses import calendar_views, dashboard_views, export_views, publication_views, views

urlpatterns = [
    path(
        "inspections/<int:inspection_pk>/response/start/",
        views.response_start,
        name="response-start",
    ),
    path("responses/<int:pk>/", views.response_detail, name="response-detail"),
    path(
        "responses/<int:pk>/sections/<slug:section>/",
        views.response_section_edit,
        name="response-section-edit",
    ),
    path(
        "responses/<int:pk>/findings/<int:finding_pk>/",
        views.response_answer_edit,
        name="response-answer-edit",
    ),
    path("responses/<int:pk>/owner/", views.response_assign_owner, name="response-assign-owner"),
    path(
        "responses/<int:pk>/actions/<slug:action>/", views.response_action, name="response-action"
    ),
    path("responses/<int:pk>/comments/", views.comment_add, name="response-comment-add"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment-resolve"),
    path("responses/<int:pk>/invite/", views.response_invite, name="response-invite"),
    path(
        "responses/<int:pk>/force-attachments/<int:attachment_pk>/",
        views.comments_attachment,
        name="response-comments-attachment",
    ),
    path("responses/<int:pk>/history/", views.response_history, name="response-history"),
    path(
        "responses/<int:pk>/history/<slug:kind>/<int:history_id>/restore/",
        views.response_restore,
        name="response-restore",
    ),
    path("", dashboard_views.dashboard_page, name="dashboard"),
    path("deadlines/", dashboard_views.deadline_list, name="deadline-list"),
    path("calendar/", calendar_views.calendar_settings, name="calendar-settings"),
    path("calendar/<slug:token>.ics", calendar_views.calendar_feed, name="calendar-feed"),
    path("exports/<slug:kind>.<slug:fmt>", export_views.export, name="export"),
    path("exports/<int:pk>/", export_views.export_status, name="export-status"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export-download"),
    path("responses/<int:pk>/preview/", publication_views.preview, name="response-preview"),
    path(
        "responses/<int:pk>/preview.pdf",
        publication_views.preview_pdf,
        name="response-preview-pdf",
    ),
    path("responses/<int:pk>/publish/", publication_views.publish, name="response-publish"),
    path(
        "responses/<int:pk>/publications/",
        publication_views.publications,
        name="response-publications",
    ),
    path(
        "publications/<int:pk>/onward-copy/",
        publication_views.record_onward_copy,
        name="publication-onward-copy",
    ),
]
