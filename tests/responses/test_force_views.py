"""The force's own pages (/force/): a contributor sees their service's inspections and
findings, the invitations addressed to them and their own submissions, never the office's
drafts, comments or review notes. The access matrix (tests/pfcc/test_access.py) covers every
other URL for the role."""

import datetime

import pytest
from django.urls import reverse

from inspections import deadlines, tracking
from inspections.models import ForceContributor, Service, TrackingStatus
from responses import roles, workflow
from tests.factories import make_finding, make_inspection

pytestmark = pytest.mark.django_db
DRAFT = "The commissioner's draft, not for the force."
NOTE = "A reviewer's note, not for the force."


@pytest.fixture
def invited(drafter, reviewer, force_contributor):
    inspection = make_inspection(published_on=deadlines.today() - datetime.timedelta(days=3))
    finding = make_finding(inspection)
    response = workflow.start_response(inspection=inspection, actor=drafter)
    workflow.save_response_fields(
        response=response,
        actor=drafter,
        values={"commissioner_comments": DRAFT},
        loaded_version=response.version,
        what="",
    )
    workflow.add_comment(response=response, actor=reviewer, text=NOTE)
    invitation = workflow.invite_chief_officer(
        response=response,
        actor=drafter,
        recipients=[force_contributor],
        due_on=deadlines.today() + datetime.timedelta(days=14),
    )
    return invitation, finding


def test_the_force_sees_what_is_asked_of_it_and_nothing_of_the_offices_drafts(
    client, invited, force_contributor
):
    invitation, finding = invited
    client.force_login(force_contributor)
    pages = [
        reverse("force-home"),
        reverse("force-inspection-list"),
        reverse("force-inspection", args=[finding.inspection_id]),
        reverse("force-finding", args=[finding.pk]),
        reverse("force-invitation", args=[invitation.pk]),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert DRAFT not in text and NOTE not in text, url
    assert finding.inspection.title in client.get(reverse("force-home")).content.decode()


def test_an_invitation_to_someone_else_or_another_services_report_is_refused(
    client, invited, make_user
):
    invitation, finding = invited
    colleague = make_user("gil", roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=colleague, service=Service.POLICE)
    fire = make_user("fenn", roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=fire, service=Service.FIRE)
    client.force_login(colleague)
    assert client.get(reverse("force-invitation", args=[invitation.pk])).status_code == 403
    assert "Nothing is asked of you" in client.get(reverse("force-home")).content.decode()
    client.force_login(fire)
    assert client.get(reverse("force-finding", args=[finding.pk])).status_code == 403
    assert client.get(reverse("force-invitation", args=[invitation.pk])).status_code == 403


def test_a_contributor_sees_only_their_own_submissions(
    client, invited, force_contributor, make_user
):
    _, finding = invited
    colleague = make_user("gil", roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=colleague, service=Service.POLICE)
    tracking.submit_progress(
        finding=finding,
        by=colleague,
        narrative="Gil's own progress.",
        claimed_status=TrackingStatus.IN_PROGRESS,
    )
    client.force_login(force_contributor)
    page = client.get(reverse("force-finding", args=[finding.pk])).content.decode()
    assert "Gil's own progress." not in page
    assert "You have submitted no progress on this finding." in page
