from django.contrib.sitemaps.views import sitemap
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
        cached(public_views.download),
        {"kind": "pdf"},
        name="public-pdf",
    ),
    path(
        "responses/<uuid:public_id>/v<int:version>.html",
        cached(public_views.download),
        {"kind": "html"},
        name="public-html-file",
    ),
    path("on-time/", cached(public_views.on_time), name="public-on-time"),
    path("open-data/", public_views.open_data, name="public-open-data"),
    # Streamed by the one CSV writer (responses.exports), so made afresh each time.
    path("open-data/responses.csv", public_views.open_data_csv, name="public-open-data-csv"),
    path(
        "open-data/versions.csv",
        public_views.open_data_versions_csv,
        name="public-open-data-versions-csv",
    ),
    path(
        "open-data/responses.json",
        cached(public_views.open_data_json),
        name="public-open-data-json",
    ),
    path("feed/", cached(public_views.PublicationFeed()), name="public-feed"),
    path("accessibility/", public_views.accessibility, name="public-accessibility"),
    path("robots.txt", public_views.robots_txt, name="robots-txt"),
    path("sitemap.xml", cached(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
