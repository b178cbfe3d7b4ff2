"""Every form showing a stored record, opened in Chromium and saved unchanged, keeps the record
exactly as it was: every stored value is shown (a date the browser cannot show would be lost)
and posted back as it is.

The forms come from the catalogue (tests/catalogue.py): its pages marked `edit`, which it checks
against the URLconf. A second test finds any page whose form posts stored values back and is
not marked, so a new edit form is covered without touching this file.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse

from tests.catalogue import ANONYMOUS, PAGES, PERSONAS, build_world
from tests.conftest import PASSWORD
from tests.responses.test_browser_workflow import sign_in

EDIT_PAGES = [page for page in PAGES if page.edit]


def _snapshot() -> dict[str, list[dict]]:
    """Every row the project stores, its history included."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for app in ("inspections", "responses")
        for model in apps.get_app_config(app).get_models()
    }


def _changes(before: dict, after: dict) -> list[str]:
    changes = []
    for label, rows in before.items():
        if len(after[label]) != len(rows):
            changes.append(f"{label}: {len(rows)} rows, now {len(after[label])}")
            continue
        for old, new in zip(rows, after[label], strict=True):
            changed = {k: (old[k], new[k]) for k in old if old[k] != new[k]}
            if changed:
                changes.append(f"{label} {old['pk'] if 'pk' in old else ''}: {changed}")
    return changes


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_edit_form_saved_unchanged_keeps_the_record_as_it_was(browser, live_server):
    world = build_world()
    signed_in = {}
    problems = []
    assert EDIT_PAGES, "the catalogue marks no edit pages"
    for edit in EDIT_PAGES:
        path = edit.path(world)
        # The first persona it lets in who sees its save button (a reviewer may only read).
        for persona in (p for p in PERSONAS if p in edit.who and p != ANONYMOUS):
            if persona not in signed_in:
                signed_in[persona] = sign_in(browser, live_server, persona)
            page = signed_in[persona]
            page.goto(live_server.url + path)
            save = page.get_by_role("button", name=edit.save, exact=True)
            if save.count():
                break
        else:
            problems.append(f"{edit}: nobody it lets in sees a “{edit.save}” button")
            continue
        before = _snapshot()
        with page.expect_navigation():
            save.click()
        page.wait_for_load_state("load")
        if page.locator(".govuk-error-summary").count():
            errors = page.locator(".govuk-error-summary").inner_text()
            problems.append(f"{edit} ({persona}): saving unchanged shows {errors!r}")
        problems += [f"{edit} ({persona}): {c}" for c in _changes(before, _snapshot())]
    for page in signed_in.values():
        page.context.close()

    assert problems == [], "\n".join(problems)


class _StoredValues(HTMLParser):
    """Finds the values a page's post forms send back as they are: text typed before."""

    def __init__(self):
        super().__init__()
        self.in_post_form = False
        self.in_textarea = False
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # A form for a new record may suggest values (data-suggests): none is stored yet.
            self.in_post_form = (attrs.get("method") or "get").lower() == "post" and (
                "data-suggests" not in attrs
            )
        elif self.in_post_form and tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("text", "email", "url", "number", "tel", "date") and attrs.get("value"):
                self.found.append(f"{attrs.get('name')}={attrs['value']!r}")
        elif self.in_post_form and tag == "textarea":
            self.in_textarea = attrs.get("name") or "textarea"

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        elif tag == "textarea":
            self.in_textarea = False

    def handle_data(self, data):
        if self.in_textarea and data.strip():
            self.found.append(f"{self.in_textarea}={data.strip()[:30]!r}")


@pytest.mark.django_db
def test_every_page_posting_stored_values_back_is_marked_as_an_edit_form(client):
    world = build_world()
    unmarked = []
    for page in PAGES:
        if page.method != "GET" or page.edit:
            continue
        for persona in sorted(page.who):
            if persona == ANONYMOUS:
                client.logout()
            else:
                client.force_login(world.users[persona])
            response = client.get(page.path(world))
            if response.streaming or not response["Content-Type"].startswith("text/html"):
                break
            parser = _StoredValues()
            parser.feed(response.content.decode())
            if parser.found:
                unmarked.append(f"{page} as {persona}: {', '.join(parser.found)}")

    assert unmarked == []


def test_edit_pages_are_pages_people_open():
    assert all(page.method == "GET" for page in EDIT_PAGES)


# The admin saves a new version even when nothing changed, so only what was typed is compared.
ADMIN_BOOKKEEPING = {"version", "updated_at"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_saves_our_records_unchanged_with_their_dates(browser, live_server):
    world = build_world()
    User.objects.create_superuser("root", "root@opfcc.example", PASSWORD)
    page = sign_in(browser, live_server, "root")
    problems = []
    # Responses are read only in the admin: their workflow owns every field.
    for record in (world.police, world.fire, world.recommendation):
        model = type(record)
        before = model.objects.values().get(pk=record.pk)
        page.goto(
            live_server.url
            + reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                      args=[record.pk])
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        if page.locator(".errornote").count():
            problems.append(f"{record}: {page.locator('.errornote').inner_text()}")
        after = model.objects.values().get(pk=record.pk)
        problems += [
            f"{model.__name__}.{name}: {before[name]!r} became {after[name]!r}"
            for name in before
            if name not in ADMIN_BOOKKEEPING and before[name] != after[name]
        ]
    page.context.close()

    assert problems == [], "\n".join(problems)
