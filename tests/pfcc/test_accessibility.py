"""Every kind of page, public and staff, checked in Chromium with axe (WCAG 2.2 AA rules) and for
the page frame every page must have: one <h1>, a title led by it, lang="en-GB", a skip link.

Each test loads the demo data (transactional tests flush the database between tests), so the
pages are walked in a few long tests that each visit many pages as one persona. Problems are
collected page by page and reported together, with the URL, rule and offending nodes.
Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from inspections.models import Finding, Inspection, Service
from responses import publishing, roles, workflow
from responses.management.commands.load_demo import DEMO_PASSWORD
from responses.models import Publication, Response, Status
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _inspection(number: int) -> Inspection:
    return Inspection.objects.get(hmicfrs_number=number)


class Sweep:
    """Visits pages and collects what is wrong with each, so one run reports every failure."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.problems: list[str] = []

    def visit(self, path: str, status: int = 200, *, title: str | None = None) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == status, f"{path}: HTTP {response.status}"
        self.check(title=title)

    def check(self, *, title: str | None = None) -> None:
        """`title`: what the page title starts with, when that is not the <h1> (a draft preview)."""
        page = self.page
        # Module scripts (GOV.UK Frontend) have run by the load event.
        page.wait_for_load_state("load")
        url = page.url.removeprefix(self.base)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        for violation in results.response["violations"]:
            nodes = "; ".join(
                f"{' '.join(node['target'])}: {node['failureSummary']!r}"
                for node in violation["nodes"]
            )
            self.problems.append(f"{url}: {violation['id']} ({violation['help']}): {nodes}")
        headings = page.locator("h1").all_inner_texts()
        if len(headings) != 1:
            self.problems.append(f"{url}: {len(headings)} <h1> elements: {headings}")
        else:
            page_title = _words(page.title())
            lead = title or _words(headings[0])
            if not (page_title.startswith(lead) or page_title.startswith("Error:")):
                self.problems.append(f"{url}: title {page_title!r} does not start with {lead!r}")
        summary = page.locator(".govuk-error-summary")
        if summary.count():
            if not page.title().startswith("Error:"):
                self.problems.append(f"{url}: an error summary, but the title is {page.title()!r}")
            for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)"):
                if page.locator(f"[id='{href[1:]}']").count() != 1:
                    self.problems.append(f"{url}: the error summary links to missing {href}")
        if page.locator("html").get_attribute("lang") != "en-GB":
            self.problems.append(f"{url}: <html> is not lang=en-GB")
        skip = page.locator("body > a.govuk-skip-link[href='#main-content']")
        if skip.count() != 1 or page.locator("#main-content").count() != 1:
            self.problems.append(f"{url}: no skip link to #main-content")

    def check_tabs(self) -> None:
        """Checks each tab of the page shown in turn: axe skips what a hidden tab holds."""
        tabs = self.page.locator("a.govuk-tabs__tab")
        assert tabs.count() > 1, f"{self.page.url}: no tabs"
        for index in range(tabs.count()):
            tabs.nth(index).click()
            self.check()

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        page = self.page
        page.goto(self.base + reverse("login"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    def submit(self, button: str, *, opening: str | None = None) -> None:
        """Submits the form of `button`, after opening the details summary `opening`."""
        if opening:
            self.page.get_by_text(opening).first.click()
        # Waiting for the navigation proves no browser validation stopped the form.
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button).first.click()
        self.check()

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _publish_second_version(response: Response) -> None:
    """An amendment, approved and published: the public page then shows an earlier version."""
    users = {u.username: u for u in User.objects.all()}
    workflow.amend(response=response, actor=users["drafter"])
    workflow.submit(response=response, actor=users["drafter"])
    workflow.approve(response=response, actor=users["reviewer"])
    publishing.publish_statement(
        response=Response.objects.get(pk=response.pk),
        by=users["publisher"],
        amendment_note="Corrected the date of the Executive Board.",
    )


def test_every_public_page_passes(page, live_server, demo):
    on_time = Response.objects.get(inspection__hmicfrs_number=90006)
    _publish_second_version(on_time)
    fire = _inspection(90008)
    sweep = Sweep(page, live_server)

    sweep.visit(reverse("public-home"))
    sweep.visit(reverse("public-home") + "?q=police&year=&type=&service=police")
    sweep.visit(reverse("public-home") + "?q=no+such+report")
    # A statement's <h1> names its inspection (the office's heading is a caption above it), and
    # so does the page title, led by it.
    inspection = on_time.inspection
    sweep.visit(reverse("public-response", args=[inspection.public_id]))
    sweep.visit(reverse("public-response-version", args=[inspection.public_id, 1]))
    imported = Publication.objects.filter(response__imported=True).first().response.inspection
    sweep.visit(reverse("public-response", args=[imported.public_id]))
    sweep.visit(reverse("public-on-time"))
    sweep.visit(reverse("public-open-data"))
    sweep.visit(reverse("public-accessibility"))
    sweep.visit(reverse("public-action-plans"))
    sweep.visit(reverse("public-action-plan", args=[fire.public_id]))
    sweep.visit("/no-such-page/", status=404)
    sweep.visit(reverse("dashboard"))  # signed out: the sign-in page
    sweep.assert_clean()


def test_every_drafting_page_passes(page, live_server, demo):
    peel, drafting, in_review = _inspection(90001), _inspection(90002), _inspection(90003)
    finding = drafting.findings.first()
    response = drafting.response
    sweep = Sweep(page, live_server)
    sweep.sign_in("drafter")
    sweep.check()  # the dashboard, where signing in lands

    sweep.visit(reverse("inspection-list"))
    sweep.visit(
        reverse("inspection-list") + "?q=police&inspection_type=&service=police&status=draft"
    )
    sweep.visit(reverse("inspection-detail", args=[peel.pk]))
    sweep.visit(reverse("inspection-detail", args=[in_review.pk]))
    sweep.visit(reverse("inspection-create"))
    sweep.submit("Save")
    sweep.visit(reverse("inspection-edit", args=[drafting.pk]))
    sweep.visit(reverse("finding-add", args=[drafting.pk]))
    sweep.submit("Save")
    sweep.visit(reverse("finding-edit", args=[finding.pk]))
    sweep.visit(reverse("findings-paste", args=[peel.pk]))
    sweep.submit("Preview the findings")
    page.get_by_label("Findings from the report").fill(
        "Recommendation 1\nBy 31 March 2027, the force should audit its records.\n\n"
        "Area for improvement 1\nThe force should improve its training."
    )
    sweep.submit("Preview the findings")
    sweep.visit(reverse("response-detail", args=[response.pk]))
    sweep.visit(reverse("response-section-edit", args=[response.pk, "commissioner"]))
    sweep.visit(reverse("response-answer-edit", args=[response.pk, finding.pk]))
    sweep.visit(reverse("response-history", args=[response.pk]))
    sweep.visit(reverse("inspection-history", args=[drafting.pk]))
    tracked = _inspection(90006).findings.first()
    sweep.visit(reverse("finding-tracking", args=[tracked.pk]))
    sweep.submit("Record revised target")
    sweep.submit("Add update")
    sweep.assert_clean()


def test_every_reviewing_and_publishing_page_passes(page, live_server, demo):
    approved = Response.objects.get(status=Status.APPROVED)
    in_review = Response.objects.get(status=Status.IN_REVIEW)
    changes = Response.objects.get(status=Status.CHANGES_REQUESTED)
    published = Response.objects.get(inspection__hmicfrs_number=90006)
    tracked = Finding.objects.filter(inspection=published.inspection).first()
    fire = Inspection.objects.get(service=Service.FIRE)
    sweep = Sweep(page, live_server)
    sweep.sign_in("manager")
    sweep.check_tabs()  # the dashboard, its charts on tabs of their own

    sweep.visit(reverse("deadline-list") + "?panel=overdue")
    sweep.visit(reverse("deadline-list") + "?panel=published")
    sweep.visit(reverse("response-detail", args=[in_review.pk]))
    sweep.submit("Request changes")
    sweep.submit("Add comment", opening="Add a comment")
    sweep.visit(reverse("response-detail", args=[changes.pk]))
    sweep.visit(reverse("response-history", args=[changes.pk]))
    sweep.visit(
        reverse("response-preview", args=[approved.pk]),
        title=f"DRAFT preview: {approved.inspection.title}",
    )
    sweep.visit(reverse("response-publish", args=[approved.pk]))
    sweep.visit(reverse("response-publications", args=[published.pk]))
    sweep.visit(reverse("response-detail", args=[published.pk]))
    sweep.visit(reverse("action-plan"))
    sweep.visit(reverse("action-plan-inspection", args=[published.inspection.pk]))
    sweep.visit(reverse("action-plan-inspection", args=[fire.pk]))
    sweep.visit(reverse("finding-tracking", args=[tracked.pk]))
    sweep.visit(reverse("calendar-settings"))
    sweep.visit(reverse("inspection-detail", args=[published.inspection.pk]))
    sweep.visit("/staff/no-such-page/", status=404)
    sweep.assert_clean()


def test_the_sign_in_errors_and_lock_out_pass(page, live_server, settings):
    settings.AXES_FAILURE_LIMIT = 3
    sweep = Sweep(page, live_server)

    sweep.visit(reverse("login"))
    sweep.submit("Sign in")
    for _ in range(3):
        sweep.sign_in("drafter", "wrong")
        sweep.check()
    assert page.get_by_role("heading", name="Too many failed sign-in attempts").is_visible()
    sweep.assert_clean()


def test_keyboard_focus_moves_from_the_skip_link_to_the_content_and_to_errors(
    page, live_server, drafter
):
    Sweep(page, live_server).sign_in(drafter.username, PASSWORD)
    page.goto(live_server.url + reverse("inspection-create"))

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")

    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    first_link = summary.get_by_role("link").first
    expect(first_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-form-group--error :focus")).to_have_count(1)


def test_the_single_sign_on_pages_pass(page, live_server, oidc, settings):
    roles.sync_roles(apps)
    oidc.allow_site(live_server.url)
    sweep = Sweep(page, live_server)

    sweep.visit(reverse("login"))  # AUTH_MODE=both: the organisation account, then passwords
    page.get_by_role("button", name="Sign in with your organisation account").click()
    page.locator("input[name=login]").fill("vic")  # the provider's page, not ours
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have access to this service"
    )
    sweep.check()
    sweep.visit(reverse("sso-callback") + "?code=stolen&state=forged", status=400)

    settings.AUTH_MODE = "sso"
    settings.BREAK_GLASS_USERNAME = "ada"
    sweep.visit(reverse("login"))
    page.get_by_text("Emergency sign-in for the administrator").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in", exact=True).click()
    sweep.check()
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    sweep.visit(reverse("sso-start"), status=503)
    sweep.assert_clean()
