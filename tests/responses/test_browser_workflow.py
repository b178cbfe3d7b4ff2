"""A new user's route through the workflow in a real browser: a drafter writes a response, a
reviewer requests a change with a comment, the drafter fixes it, the reviewer approves, and
the history shows each step with its diff.

Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from responses import roles
from tests.conftest import PASSWORD
from tests.factories import make_finding, make_inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, username):
    page = browser.new_context().new_page()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def open_response(page, live_server, title):
    page.goto(live_server.url + reverse("inspection-list"))
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Open the response").click()


def test_draft_review_fix_and_approve(browser, live_server, make_user):
    make_user("dana", roles.DRAFTER)
    make_user("rob", roles.REVIEWER)
    inspection = make_inspection(title="Police response to burglary")
    make_finding(inspection, reference="Rec 01")

    dana = sign_in(browser, live_server, "dana")
    dana.goto(live_server.url + reverse("inspection-list"))
    dana.get_by_role("link", name="Police response to burglary").click()
    expect(dana.get_by_text("No response yet")).to_be_visible()
    dana.get_by_role("button", name="Start writing the response").click()
    expect(dana.get_by_text("Write the commissioner's comments")).to_be_visible()
    dana.get_by_role("link", name="Change the commissioner's comments").click()
    dana.get_by_label("The commissioner's comments").fill("I welcome this report.")
    dana.get_by_role("button", name="Save").click()
    dana.get_by_role("link", name="Change the action on Rec 01").click()
    dana.get_by_role("textbox", name=re.compile("Action taken")).fill("The force has a plan.")
    dana.get_by_role("button", name="Save").click()
    expect(dana.get_by_text("every required part is written")).to_be_visible()
    dana.get_by_role("button", name="Submit for review").click()
    expect(dana.locator(".app-status")).to_have_text("In review")

    rob = sign_in(browser, live_server, "rob")
    open_response(rob, live_server, "Police response to burglary")
    section = rob.locator("#commissioner")
    section.get_by_text("Add a comment").click()
    section.get_by_role("textbox").fill("Say what this means for victims.")
    section.get_by_role("button", name="Add comment").click()
    rob.get_by_label("What needs to change").fill("See my comment on your comments.")
    rob.get_by_role("button", name="Request changes").click()
    expect(rob.locator(".app-status")).to_have_text("Changes requested")

    open_response(dana, live_server, "Police response to burglary")
    expect(dana.get_by_text("Say what this means for victims.", exact=True)).to_be_visible()
    dana.get_by_role("link", name="Change the commissioner's comments").click()
    dana.get_by_label("The commissioner's comments").fill(
        "I welcome this report and what it means for victims."
    )
    dana.get_by_role("button", name="Save").click()
    dana.get_by_role("button", name=re.compile("Mark as resolved")).click()
    dana.get_by_role("button", name="Submit for review").click()

    open_response(rob, live_server, "Police response to burglary")
    rob.get_by_role("button", name="Approve").click()
    expect(rob.locator(".app-status")).to_have_text("Approved")
    expect(rob.get_by_text("Publishers")).to_be_visible()
    results = Axe().run(rob)
    assert results.violations_count == 0, results.generate_report()

    rob.get_by_role("link", name="History of this response").click()
    for step in ("Approve", "Request changes: See my comment", "Submit for review"):
        expect(rob.get_by_role("heading", name=re.compile(step)).first).to_be_visible()
    added = rob.locator("ins.app-diff__ins").filter(has_text="and what it means for victims")
    expect(added).to_be_visible()
    removed_status = rob.locator("del.app-diff__del").filter(has_text="In review").first
    expect(removed_status).to_be_visible()
    results = Axe().run(rob)
    assert results.violations_count == 0, results.generate_report()
