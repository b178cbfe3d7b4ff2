from django.urls import path

from responses import publication_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
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
