"""The force in the loop in a real browser, three people in three contexts: a drafter invites
the force; a force contributor sees only what is addressed to them, writes and submits the
chief constable's comments; the drafter sees them in the section and the statement preview;
the force submits progress with evidence; a reviewer returns it with a note; the force
resubmits; the reviewer accepts; the action plan shows the new assured status, with the
history of each step.

Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections import deadlines
from inspections.models import ForceContributor, Service
from responses import roles, workflow
from tests.catalogue import PDF_BYTES
from tests.factories import make_finding, make_inspection
from tests.responses.test_browser_workflow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "An inspection of vetting in the police service"


def _contributor(make_user, username, service=Service.POLICE):
    user = make_user(username, roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=user, service=service)
    return user


def test_the_force_comments_and_reports_progress_and_the_office_assures_it(
    browser, live_server, make_user, tmp_path
):
    dana = make_user("dana", roles.DRAFTER)
    make_user("rob", roles.REVIEWER)
    _contributor(make_user, "fran")
    gil = _contributor(make_user, "gil")
    inspection = make_inspection(
        title=TITLE, published_on=deadlines.today() - datetime.timedelta(days=5)
    )
    finding = make_finding(inspection, reference="Rec 01")
    response = workflow.start_response(inspection=inspection, actor=dana)
    # Another report whose invitation went to someone else: never shown to fran.
    other = workflow.start_response(
        inspection=make_inspection(
            title="An inspection of custody", published_on=deadlines.today()
        ),
        actor=dana,
    )
    workflow.invite_chief_officer(
        response=other,
        actor=dana,
        recipients=[gil],
        due_on=deadlines.today() + datetime.timedelta(days=14),
    )
    evidence = tmp_path / "audit.pdf"
    evidence.write_bytes(PDF_BYTES)
    url = live_server.url

    # The drafter invites the force from the response page.
    drafter = sign_in(browser, live_server, "dana")
    drafter.goto(url + reverse("response-detail", args=[response.pk]))
    drafter.get_by_role("link", name="Invite the chief constable's comments").click()
    drafter.get_by_label("Fran").check()
    drafter.get_by_label("Message").fill("Please cover vetting of new recruits.")
    drafter.get_by_role("button", name="Send the invitation").click()
    expect(drafter.get_by_text("Invitation sent to Fran")).to_be_visible()

    # The force contributor sees only what is addressed to them, and writes the comments.
    force = sign_in(browser, live_server, "fran")
    expect(force.get_by_role("link", name=TITLE)).to_be_visible()
    expect(force.get_by_text("An inspection of custody")).to_have_count(0)
    force.goto(url + reverse("response-detail", args=[response.pk]))
    expect(force.get_by_role("heading", level=1)).to_contain_text("do not have permission")
    force.get_by_role("link", name="Go to what is asked of you").click()
    force.get_by_role("link", name=TITLE).click()
    force.get_by_label("The chief constable's comments").fill(
        "The Chief Constable welcomes the report."
    )
    force.get_by_role("button", name="Submit the comments").click()
    expect(force.get_by_text("The chief constable's comments are submitted.")).to_be_visible()

    # The drafter sees them in the section, and in the statement preview.
    drafter.goto(url + reverse("response-detail", args=[response.pk]))
    expect(drafter.get_by_text("The Chief Constable welcomes the report.").first).to_be_visible()
    expect(drafter.get_by_text("In the section:")).to_be_visible()
    drafter.goto(url + reverse("response-preview", args=[response.pk]))
    expect(drafter.get_by_text("The Chief Constable welcomes the report.").first).to_be_visible()

    # The force submits progress with evidence on the recommendation.
    force.goto(url + reverse("force-finding", args=[finding.pk]))
    force.get_by_label("Progress made").fill("The vetting audit has started.")
    force.get_by_label("Implemented").check()
    force.locator("input[type=file]").set_input_files(evidence)
    force.get_by_role("button", name="Submit progress").click()
    expect(force.get_by_text("Progress submitted.")).to_be_visible()

    # A reviewer returns it with a note.
    reviewer = sign_in(browser, live_server, "rob")
    tracking_url = url + reverse("finding-tracking", args=[finding.pk])
    reviewer.goto(tracking_url)
    expect(reviewer.get_by_role("link", name="audit.pdf")).to_be_visible()
    reviewer.get_by_label("Note").fill("Send the audit's terms of reference.")
    reviewer.get_by_role("button", name="Return to the force").click()
    expect(reviewer.get_by_text("Returned to the force").first).to_be_visible()

    # The force sees the note and resubmits.
    force.goto(url + reverse("force-home"))
    expect(force.get_by_text("Send the audit's terms of reference.")).to_be_visible()
    force.goto(url + reverse("force-finding", args=[finding.pk]))
    force.get_by_label("Progress made").fill("The audit is done; terms of reference attached.")
    force.get_by_label("Completed").check()
    force.locator("input[type=file]").set_input_files(evidence)
    force.get_by_role("button", name="Submit progress").click()
    expect(force.get_by_text("Progress submitted.")).to_be_visible()

    # The reviewer accepts; the action plan shows the new assured status.
    reviewer.goto(tracking_url)
    reviewer.get_by_role("button", name="Accept").click()
    expect(reviewer.get_by_text("Accepted by the office").first).to_be_visible()
    # The history of each step: both submissions with their decisions, and the update.
    expect(reviewer.get_by_text("Returned to the force").first).to_be_visible()
    expect(reviewer.get_by_role("link", name="the force's progress, accepted")).to_be_visible()
    reviewer.goto(url + reverse("action-plan-inspection", args=[inspection.pk]))
    row = reviewer.get_by_role("row").filter(has_text="Rec 01")
    # Finding, owner, then the three positions: the force's, the office's, HMICFRS's.
    expect(row.get_by_role("cell").nth(2)).to_have_text("Completed")
    expect(row.get_by_role("cell").nth(3)).to_have_text("Completed")
    expect(row.get_by_role("cell").nth(4)).to_have_text("Open")
    expect(row).to_contain_text("The audit is done")
    force.goto(url + reverse("force-finding", args=[finding.pk]))
    expect(force.get_by_text("Accepted by the office").first).to_be_visible()
