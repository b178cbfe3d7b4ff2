"""The force in the loop (issue 15): the invitation to comment (s.55(4)), the chief officer's
comments written and submitted by the force, and its progress assured by the office."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from inspections import deadlines, tracking
from inspections.models import (
    Finding,
    ForceContributor,
    OfficeSettings,
    ProgressUpdate,
    Service,
    SubmissionDecision,
    TargetRevision,
    TrackingStatus,
    disagreement,
)
from responses import roles, workflow
from responses.models import Notification, Response, Status
from tests.factories import date_parts, make_finding, make_inspection

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def response(drafter):
    inspection = make_inspection(published_on=deadlines.today() - datetime.timedelta(days=5))
    make_finding(inspection)
    return workflow.start_response(inspection=inspection, actor=drafter)


def _invite(response, drafter, force_contributor, days=14):
    return workflow.invite_chief_officer(
        response=response,
        actor=drafter,
        recipients=[force_contributor],
        due_on=deadlines.today() + datetime.timedelta(days=days),
        message="Please cover vetting.",
    )


def test_the_invitation_records_the_dates_and_emails_the_force_a_link(
    response, drafter, force_contributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(response, drafter, force_contributor)
    response.refresh_from_db()
    assert response.chief_constable_requested_on == deadlines.today()
    assert response.chief_constable_due_on == invitation.due_on
    assert workflow.waiting_on_force(response)
    [email] = mail.outbox
    assert email.to == [force_contributor.email]
    assert reverse("force-invitation", args=[invitation.pk]) in email.body


def test_an_invitation_must_be_wanted_before_the_responses_last_day(
    response, drafter, force_contributor
):
    last_day = response.inspection.published_on + datetime.timedelta(days=55)
    with pytest.raises(workflow.Refused, match="before the response's last day"):
        _invite(response, drafter, force_contributor, days=(last_day - deadlines.today()).days)


def test_only_the_services_contributors_can_be_invited(response, drafter, reviewer):
    with pytest.raises(workflow.Refused, match="among the force's contributors"):
        _invite(response, drafter, reviewer)


def test_submitted_comments_go_in_the_section_and_a_correction_is_a_new_submission(
    response, drafter, force_contributor
):
    invitation = _invite(response, drafter, force_contributor)
    first, _ = workflow.submit_comments(
        invitation=invitation,
        author=force_contributor,
        text="The Chief Constable welcomes it.",
        loaded_version=0,
        files=[ContentFile(PDF, name="plan.pdf")],
    )
    response.refresh_from_db()
    assert response.chief_constable_comments == "The Chief Constable welcomes it."
    assert response.chief_constable_received_on == deadlines.today()
    assert not workflow.waiting_on_force(response)
    # The owner is told.
    told = Notification.objects.filter(subject__contains="comments").latest("pk")
    assert told.recipients == drafter.email
    # The drafter sees the text but cannot change it.
    with pytest.raises(workflow.Refused, match="stays as sent"):
        workflow.save_response_fields(
            response=response,
            actor=drafter,
            values={"chief_constable_comments": "Retyped."},
            loaded_version=response.version,
            what="",
        )
    second, _ = workflow.submit_comments(
        invitation=invitation, author=force_contributor, text="Corrected.", loaded_version=0
    )
    response.refresh_from_db()
    assert response.chief_constable_comments == "Corrected."
    assert first.pk != second.pk
    assert sorted(workflow.submitted_comments(response).values_list("text", flat=True)) == [
        "Corrected.",
        "The Chief Constable welcomes it.",
    ]
    history = Response.history.filter(id=response.pk)
    reasons = history.values_list("history_change_reason", flat=True)
    assert sum(1 for r in reasons if r and r.startswith(workflow.COMMENTS_SUBMITTED)) == 2


def test_comments_submitted_in_review_send_the_response_back_to_draft(
    response, drafter, force_contributor
):
    invitation = _invite(response, drafter, force_contributor)
    Response.objects.filter(pk=response.pk).update(status=Status.IN_REVIEW)
    workflow.submit_comments(
        invitation=invitation, author=force_contributor, text="Late comments.", loaded_version=0
    )
    response.refresh_from_db()
    assert response.status == Status.DRAFT


def test_someone_not_invited_cannot_write_the_comments(
    response, drafter, force_contributor, make_user
):
    invitation = _invite(response, drafter, force_contributor)
    with pytest.raises(workflow.Refused, match="not addressed to you"):
        workflow.save_comments_draft(
            invitation=invitation, author=drafter, text="Not mine.", loaded_version=0
        )


# --- progress submitted by the force, assured by the office ---------------------------


@pytest.fixture
def finding(response):
    return response.inspection.findings.get()


def _submit(finding, by, status=TrackingStatus.COMPLETED, **extra):
    return tracking.submit_progress(
        finding=finding,
        by=by,
        narrative="Done.",
        claimed_status=status,
        files=[ContentFile(PDF, name="evidence.pdf")],
        **extra,
    )


def test_a_submission_changes_nothing_until_the_office_accepts_it(
    finding, force_contributor, reviewer
):
    submission = _submit(finding, force_contributor)
    finding.refresh_from_db()
    assert finding.assured_status == TrackingStatus.OPEN
    claimed = Finding.objects.with_claims().get(pk=finding.pk)
    assert claimed.claimed_status == TrackingStatus.COMPLETED
    assert list(Finding.objects.tracked().with_claims().filter(disagreement())) == [finding]

    tracking.accept_submission(submission=submission, by=reviewer, note="Seen.")
    finding.refresh_from_db()
    assert finding.assured_status == TrackingStatus.COMPLETED
    assert ProgressUpdate.objects.get(submission=submission).text == "Done."
    # Assured, but HMICFRS still has it open: still a disagreement, the other way.
    assert list(Finding.objects.tracked().with_claims().filter(disagreement())) == [finding]


def test_a_returned_submission_changes_nothing_and_the_force_can_resubmit(
    finding, force_contributor, reviewer
):
    submission = _submit(finding, force_contributor)
    with pytest.raises(tracking.Refused, match="already awaiting"):
        _submit(finding, force_contributor)
    with pytest.raises(tracking.Refused, match="Say why"):
        tracking.return_submission(submission=submission, by=reviewer, note=" ")
    returned = tracking.return_submission(submission=submission, by=reviewer, note="Evidence?")
    assert (returned.decision, returned.decision_note) == (SubmissionDecision.RETURNED, "Evidence?")
    # The force is told, with the note.
    told = Notification.objects.filter(recipients=force_contributor.email).latest("pk")
    assert "Evidence?" in told.body
    finding.refresh_from_db()
    assert finding.assured_status == TrackingStatus.OPEN
    assert not ProgressUpdate.objects.exists()
    again = _submit(finding, force_contributor)
    assert again.is_pending


def test_an_accepted_revised_target_keeps_the_original_and_names_who_approved_it(
    finding, force_contributor, reviewer
):
    target = deadlines.today() + datetime.timedelta(days=60)
    submission = _submit(
        finding,
        force_contributor,
        TrackingStatus.IN_PROGRESS,
        revised_target=target,
        revised_target_reason="Training takes longer.",
    )
    tracking.accept_submission(submission=submission, by=reviewer)
    revision = TargetRevision.objects.get(finding=finding)
    assert (revision.revised_date, revision.submission) == (target, submission)
    assert revision.approved_by_name == (reviewer.get_full_name() or reviewer.username)


def test_only_an_assurer_decides_and_only_once(finding, force_contributor, drafter, reviewer):
    submission = _submit(finding, force_contributor)
    with pytest.raises(tracking.Refused, match="Only an Assurer"):
        tracking.accept_submission(submission=submission, by=drafter)
    tracking.accept_submission(submission=submission, by=reviewer)
    with pytest.raises(tracking.Refused, match="already"):
        tracking.return_submission(submission=submission, by=reviewer, note="Too late.")


def test_a_contributor_of_the_other_service_cannot_submit(finding, make_user):
    fire = make_user("fenn", roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=fire, service=Service.FIRE)
    with pytest.raises(tracking.Refused, match="Only the force"):
        _submit(finding, fire)


def test_a_date_leaving_the_office_too_few_days_is_sent_only_when_confirmed(
    client, response, drafter, force_contributor
):
    office_days = OfficeSettings.load().comments_office_days
    last_day = response.inspection.published_on + datetime.timedelta(days=55)
    url = reverse("response-invite", args=[response.pk])
    post = {
        "recipients": [force_contributor.pk],
        **date_parts("due_on", last_day - datetime.timedelta(days=office_days - 1)),
    }
    client.force_login(drafter)
    page = client.post(url, post)
    assert page.status_code == 400
    assert f"fewer than the {office_days} it needs" in page.content.decode()
    assert not response.invitations.exists()
    assert client.post(url, {**post, "short_window": "on"}).status_code == 302
    assert response.invitations.count() == 1
