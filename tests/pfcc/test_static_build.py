"""What `npm run build` leaves in build/static, and that production's collectstatic accepts it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BUILD = Path(settings.BASE_DIR) / "build" / "static"


@pytest.fixture(scope="module")
def build():
    assert (BUILD / "css" / "app.css").exists(), "Run `npm ci && npm run build` first"
    return BUILD


def test_the_stylesheet_uses_no_gov_uk_only_font(build):
    css = (build / "css" / "app.css").read_text()

    assert "GDS Transport" not in css
    assert ".govuk-generic-header" in css and ".moj-" in css
    assert not list(build.rglob("*.woff")) and not (build / "govuk" / "assets" / "fonts").exists()


def test_the_statement_fonts_are_there_for_the_pdfs(build):
    fonts = {path.name for path in (build / "fonts").glob("*.woff2")}

    assert {
        "atkinson-hyperlegible-latin-400-normal.woff2",
        "atkinson-hyperlegible-latin-700-normal.woff2",
        "atkinson-hyperlegible-latin-400-italic.woff2",
    } <= fonts


def test_the_page_scripts_are_there(build):
    assert "initAll" in (build / "govuk" / "govuk-frontend.min.js").read_text()
    assert "initAll" in (build / "moj" / "moj-frontend.min.js").read_text()
    assert "../govuk/govuk-frontend.min.js" in (build / "js" / "init.mjs").read_text()


def test_production_collectstatic_hashes_everything_it_refers_to(build, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    # Fails on any url() or sourceMappingURL pointing at a file that is not there.
    call_command("collectstatic", interactive=False, verbosity=0)

    hashed_css = next((tmp_path / "css").glob("app.*.css")).read_text()
    assert "sourceMappingURL" not in (tmp_path / "govuk" / "govuk-frontend.min.js").read_text()
    assert re.search(r"\.\./govuk/assets/images/govuk-crest\.[0-9a-f]{12}\.svg", hashed_css)
