from django.contrib.sitemaps.views import index, sitemap
from django.urls import path

from responses import public_views
from responses.public_cache import cached
from responses.sitemaps import SITEMAPS

# What is cached (until the next publication) is what only publishing changes.
urlpatterns = [
    path("", cached(public_views.home), name="public-home"),
    path(
        "responses/<uuid:public_id>/", cached(public_views.response_detail), name="public-response"
    ),
    path(
        "responses/<uuid:public_id>/v<int:version>/",
        cached(public_views.response_detail),
        name="public-response-version",
    ),
    path(
        "responses/<uuid:public_id>/v<int:version>.pdf",
        public_views.download,
        {"kind": "pdf"},
        name="public-pdf",
    ),
    path(
        "responses/<uuid:public_id>/v<int:version>.html",
        public_views.download,
        {"kind": "html"},
        name="public-html-file",
    ),
    path("on-time/", cached(public_views.on_time), name="public-on-time"),
    path("open-data/", public_views.open_data, name="public-open-data"),
    # Files made once per publication (responses.open_data); published files are served by
    # responses.published_files.
    path("open-data/responses.csv", public_views.open_data_csv, name="public-open-data-csv"),
    path(
        "open-data/versions.csv",
        public_views.open_data_versions_csv,
        name="public-open-data-versions-csv",
    ),
    path("open-data/responses.json", public_views.open_data_json, name="public-open-data-json"),
    path("feed/", cached(public_views.PublicationFeed()), name="public-feed"),
    path("accessibility/", public_views.accessibility, name="public-accessibility"),
    path("robots.txt", public_views.robots_txt, name="robots-txt"),
    # A sitemap index of bounded pages (responses.sitemaps).
    path(
        "sitemap.xml",
        cached(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
