"""Publishing re-checks what approval checked, with the same functions, when it publishes."""

import datetime

import pytest
from django.core.files.storage import default_storage

from inspections import deadlines
from inspections.models import OfficeSettings
from responses import readiness, roles, workflow
from responses.models import FindingResponse, Publication, Response, Status
from responses.publishing import PublishError, publish_statement
from responses.workflow import Action
from tests.factories import (
    approve,
    explain_findings,
    make_finding,
    make_inspection,
    make_response,
)


def _nothing_published():
    assert not Publication.objects.exists()
    assert not default_storage.exists("publications")


@pytest.fixture
def draft(db):
    """A response with comments and two recommendations, neither explained yet."""
    inspection = make_inspection(published_on=deadlines.today() - datetime.timedelta(days=10))
    make_finding(inspection)
    make_finding(inspection)
    return make_response(inspection, commissioner_comments="I welcome the report.")


def test_approval_and_publishing_ask_the_same_functions():
    assert workflow.RULES[Action.APPROVE].check is readiness.approval_problems


def test_it_refuses_to_publish_a_status_set_to_approved_around_the_workflow(draft, publisher):
    # The admin bypass seen in the issue: a draft set straight to "approved".
    Response.objects.filter(pk=draft.pk).update(status=Status.APPROVED)
    with pytest.raises(PublishError, match="no approval recorded"):
        publish_statement(response=draft, by=publisher)
    _nothing_published()


def test_it_refuses_to_publish_recommendations_left_unexplained(draft, drafter, publisher):
    explain_findings(draft, drafter)
    approved = approve(draft, drafter=drafter)
    # An answer blanked after approval, around the workflow (no history, no status change).
    FindingResponse.objects.filter(response=approved).update(text="")
    with pytest.raises(PublishError, match="Explain the action taken"):
        publish_statement(response=approved, by=publisher)
    _nothing_published()


def test_it_refuses_text_changed_after_approval_whatever_the_path(draft, drafter, publisher):
    explain_findings(draft, drafter)
    approved = approve(draft, drafter=drafter)
    approved.commissioner_comments = "Rewritten after approval, by nobody in particular."
    approved.version += 1
    approved.save()
    with pytest.raises(PublishError, match="changed after it was approved"):
        publish_statement(response=approved, by=publisher)
    _nothing_published()


def test_it_refuses_open_review_comments(draft, drafter, reviewer, publisher):
    explain_findings(draft, drafter)
    approved = approve(draft, drafter=drafter, reviewer=reviewer)
    comment = workflow.add_comment(response=approved, actor=reviewer, text="Check the date.")
    assert comment.is_open
    with pytest.raises(PublishError, match="open review comments"):
        publish_statement(response=approved, by=publisher)


def test_it_refuses_a_response_approved_by_someone_who_edited_it(draft, make_user, publisher):
    morgan = make_user("morgan", roles.DRAFTER, roles.REVIEWER)
    explain_findings(draft, morgan)
    office = OfficeSettings.load()
    office.separation_of_duties = False
    office.save()
    approved = approve(draft, drafter=morgan, reviewer=morgan)
    office.separation_of_duties = True
    office.save()
    with pytest.raises(PublishError, match="approver edited"):
        publish_statement(response=approved, by=publisher)
    _nothing_published()


def test_a_response_approved_in_review_publishes(draft, drafter, publisher):
    explain_findings(draft, drafter)
    publication = publish_statement(response=approve(draft, drafter=drafter), by=publisher)
    assert publication.version == 1
