"""Every page of the site is valid HTML by the Nu HTML Checker (https://validator.github.io/).

Each catalogued page (tests/catalogue.py) is saved as each persona it lets in sees it, with the
error state of each form (posted empty), the pages for errors (403, 404), and checked in one
run of the checker (npm vnu-jar; `make test` installs Java for it with scripts/ensure-java).
"""

import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tests.catalogue import ANONYMOUS, PAGES, build_world

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _html(response) -> str | None:
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return None
    if response.status_code in (301, 302):
        return None
    return response.content.decode()


def _rolled_back(client, method: str, path: str, data: dict | None = None):
    """A request whose changes are undone, so that every page sees the same world."""
    with transaction.atomic():
        response = client.post(path, data or {}) if method == "POST" else client.get(path)
        transaction.set_rollback(True)
    return response


# Error states an empty post does not show: (persona, URL name, args, what is posted).
ERROR_STATES = [
    (
        "publisher",
        "publication-onward-copy",
        lambda w: (w.publication.pk,),
        {"recipient": "hmicfrs", "sent_on_day": "31", "sent_on_month": "2", "sent_on_year": "25"},
    ),
    (
        "drafter",
        "response-section-edit",
        lambda w: (w.draft.pk, "chief-constable"),
        {"chief_constable_requested_on_day": "3", "chief_constable_comments": "Welcome."},
    ),
    (
        "drafter",
        "inspection-edit",
        lambda w: (w.police.pk,),
        {"title": "Someone else's title", "version": "0", "published_on_year": "2025"},
    ),
    (
        "drafter",
        "findings-confirm",
        lambda w: (w.police.pk,),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-include": "on",
            "form-0-kind": "afi",
            "form-0-due_date_month": "Smarch",
            "form-0-due_precision": "day",
        },
    ),
]


def _save_pages(client, world, folder) -> int:
    saved = 0

    def save(name: str, response) -> None:
        nonlocal saved
        if (html := _html(response)) is not None:
            saved += 1
            (folder / f"{saved:03d}-{name}.html").write_text(html, encoding="utf-8")

    for page in PAGES:
        path = page.path(world)
        for persona in sorted(page.who):
            if persona == ANONYMOUS:
                client.logout()
            else:
                client.force_login(world.users[persona])
            label = f"{page}-{persona}".replace(" ", "_").replace("/", "_")
            if page.method == "GET":
                save(label, client.get(path))
            # What a form shows when it was sent empty: its errors.
            if page.method == "POST" or page.edit or "create" in page.name or "add" in page.name:
                save(f"{label}-posted-empty", _rolled_back(client, "POST", path))
    for persona, name, args, data in ERROR_STATES:
        client.force_login(world.users[persona])
        response = _rolled_back(client, "POST", reverse(name, args=args(world)), data)
        assert b"govuk-error-summary" in response.content, name
        save(f"{name}-error", response)
    client.force_login(world.users["outsider"])
    save("403", client.get(PAGES[2].path(world)))
    save("404", client.get("/no-such-page/"))
    return saved


@pytest.mark.django_db
def test_every_page_is_valid_html_with_honest_labels(client, tmp_path):
    java = shutil.which("java")
    assert java, "Java is needed: scripts/ensure-java installs it"
    assert VNU.exists(), "npm ci installs vnu-jar"
    world = build_world()
    folder = tmp_path / "pages"
    folder.mkdir()
    saved = _save_pages(client, world, folder)

    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )

    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        f" [{(m.get('extract') or '').strip()[:120]}]"
        for m in messages
    ]
    assert saved > 100
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)
    # A label never says "(optional)" twice (a label's own and the form's).
    pages = folder.glob("*.html")
    assert [page.name for page in pages if "(optional) (optional)" in page.read_text()] == []

