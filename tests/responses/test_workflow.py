"""The response's transitions, edits, conflicts and separation of duties."""

import pytest
from django.contrib.auth.models import Group

from inspections.models import OfficeSettings
from responses import roles, workflow
from responses.models import FindingResponse, Response, Status
from responses.workflow import Action, Refused
from tests.factories import approve, explain_findings, make_finding, make_inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    inspection = make_inspection()
    make_finding(inspection)
    return inspection


@pytest.fixture
def response(inspection, drafter):
    return workflow.start_response(inspection=inspection, actor=drafter)


def edit(response, actor, text, loaded_version=None):
    """Saves the commissioner's comments as `actor`, by default over the current version."""
    if loaded_version is None:
        loaded_version = Response.objects.get(pk=response.pk).version
    return workflow.save_response_fields(
        response=response,
        actor=actor,
        values={"commissioner_comments": text},
        loaded_version=loaded_version,
        what="comments",
    )


def complete(response, drafter):
    edit(response, drafter, "I welcome this report.")
    explain_findings(response, drafter)
    response.refresh_from_db()
    return response


def reasons(response):
    return list(
        Response.history.filter(id=response.pk)
        .order_by("history_date")
        .values_list("history_change_reason", flat=True)
    )


def test_starting_a_response_makes_a_draft_owned_by_the_drafter(response, drafter):
    assert response.status == Status.DRAFT
    assert response.owner == drafter
    assert workflow.holder(response) == "Dana"


def test_starting_twice_returns_the_same_response(response, inspection, drafter):
    assert workflow.start_response(inspection=inspection, actor=drafter) == response


def test_a_reviewer_cannot_start_a_response(inspection, reviewer):
    with pytest.raises(Refused):
        workflow.start_response(inspection=inspection, actor=reviewer)


def test_the_whole_route_as_three_users(response, drafter, reviewer, make_user):
    second_reviewer = make_user("ria", roles.REVIEWER)
    complete(response, drafter)
    workflow.submit(response=response, actor=drafter)
    assert workflow.holder(Response.objects.get(pk=response.pk)) == "Reviewers"
    workflow.request_changes(response=response, actor=reviewer, reason="Say more about Rec 01.")
    assert Response.objects.get(pk=response.pk).status == Status.CHANGES_REQUESTED
    workflow.submit(response=response, actor=drafter)
    approved = workflow.approve(response=response, actor=second_reviewer)
    assert approved.status == Status.APPROVED
    assert workflow.holder(approved) == "Publishers"
    rows = Response.history.filter(id=response.pk).order_by("history_date")
    assert [r.history_user for r in rows][-4:] == [drafter, reviewer, drafter, second_reviewer]
    assert reasons(response)[-4:] == [
        "Submit for review",
        "Request changes: Say more about Rec 01.",
        "Submit for review",
        "Approve",
    ]


def test_each_transition_bumps_the_version(response, drafter):
    before = response.version
    workflow.submit(response=response, actor=drafter)
    assert Response.objects.get(pk=response.pk).version == before + 1


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.SUBMIT, Status.IN_REVIEW),
        (Action.WITHDRAW, Status.DRAFT),
        (Action.REQUEST_CHANGES, Status.DRAFT),
        (Action.APPROVE, Status.DRAFT),
        (Action.APPROVE, Status.CHANGES_REQUESTED),
    ],
)
def test_it_refuses_a_transition_from_the_wrong_state(response, make_user, action, status):
    everyone = make_user("eve", roles.DRAFTER, roles.REVIEWER)
    Response.objects.filter(pk=response.pk).update(status=status)
    rows = Response.history.count()
    with pytest.raises(Refused):
        workflow.perform(action, response=response, actor=everyone, reason="because")
    assert Response.objects.get(pk=response.pk).status == status
    assert Response.history.count() == rows


def test_a_reviewer_cannot_submit_and_a_drafter_cannot_approve(response, drafter, reviewer):
    with pytest.raises(Refused, match="role"):
        workflow.submit(response=response, actor=reviewer)
    complete(response, drafter)
    workflow.submit(response=response, actor=drafter)
    with pytest.raises(Refused, match="role"):
        workflow.approve(response=response, actor=drafter)


def test_requesting_changes_needs_a_reason(response, drafter, reviewer):
    workflow.submit(response=response, actor=drafter)
    with pytest.raises(Refused, match="what needs to change"):
        workflow.request_changes(response=response, actor=reviewer, reason="  ")


def test_withdrawing_returns_to_draft(response, drafter):
    workflow.submit(response=response, actor=drafter)
    assert workflow.withdraw(response=response, actor=drafter).status == Status.DRAFT


def test_it_refuses_approval_of_an_incomplete_response(response, drafter, reviewer):
    workflow.submit(response=response, actor=drafter)
    with pytest.raises(Refused) as refused:
        workflow.approve(response=response, actor=reviewer)
    assert "Write the commissioner's comments" in refused.value.reasons
    assert any("Rec 01" in reason for reason in refused.value.reasons)


def test_it_refuses_approval_while_comments_are_open(response, drafter, reviewer):
    complete(response, drafter)
    workflow.submit(response=response, actor=drafter)
    comment = workflow.add_comment(response=response, actor=reviewer, text="Typo in para 2")
    assert Action.APPROVE not in workflow.available_actions(response, reviewer)
    with pytest.raises(Refused, match="open review comments"):
        workflow.approve(response=response, actor=reviewer)
    workflow.resolve_comment(comment=comment, actor=drafter)
    assert workflow.approve(response=response, actor=reviewer).status == Status.APPROVED


def test_it_refuses_approval_by_someone_who_edited_it(response, make_user, drafter):
    both = make_user("bo", roles.DRAFTER, roles.REVIEWER)
    complete(response, drafter)
    edit(response, both, "I welcome this report warmly.")
    workflow.submit(response=response, actor=drafter)
    with pytest.raises(Refused, match="separation of duties"):
        workflow.approve(response=response, actor=both)


def test_editing_an_answer_also_counts_for_separation_of_duties(response, make_user, drafter):
    both = make_user("bo", roles.DRAFTER, roles.REVIEWER)
    complete(response, drafter)
    answer = FindingResponse.objects.get(response=response)
    workflow.save_answer(
        response=response,
        finding_id=answer.finding_id,
        actor=both,
        text="A better plan.",
        loaded_version=answer.version,
    )
    workflow.submit(response=response, actor=drafter)
    assert Action.APPROVE not in workflow.available_actions(response, both)


def test_the_office_can_switch_separation_of_duties_off(response, make_user, drafter):
    both = make_user("bo", roles.DRAFTER, roles.REVIEWER)
    complete(response, both)
    workflow.submit(response=response, actor=drafter)
    office = OfficeSettings.load()
    office.separation_of_duties = False
    office.save()
    assert workflow.approve(response=response, actor=both).status == Status.APPROVED


def test_editing_an_approved_response_returns_it_to_draft(response, drafter, reviewer):
    complete(response, drafter)
    workflow.submit(response=response, actor=drafter)
    approved = workflow.approve(response=response, actor=reviewer)
    edit(approved, drafter, "I welcome this report. More.", approved.version)
    assert Response.objects.get(pk=response.pk).status == Status.DRAFT
    assert reasons(response)[-1] == "Edited after approval"


def test_editing_an_approved_answer_returns_the_response_to_draft(response, drafter, reviewer):
    complete(response, drafter)
    workflow.submit(response=response, actor=drafter)
    workflow.approve(response=response, actor=reviewer)
    answer = FindingResponse.objects.get(response=response)
    workflow.save_answer(
        response=response,
        finding_id=answer.finding_id,
        actor=drafter,
        text="Changed.",
        loaded_version=answer.version,
    )
    assert Response.objects.get(pk=response.pk).status == Status.DRAFT


def test_a_response_in_review_cannot_be_edited(response, drafter):
    workflow.submit(response=response, actor=drafter)
    with pytest.raises(Refused, match="withdraw"):
        edit(response, drafter, "x", response.version + 1)


def test_two_users_editing_the_same_section_get_a_conflict(response, drafter, second_drafter):
    loaded = response.version
    assert edit(response, drafter, "Dana's words.", loaded) is None
    conflict = edit(response, second_drafter, "Dev's words.", loaded)
    assert conflict.saved == {"commissioner_comments": "Dana's words."}
    assert conflict.yours == {"commissioner_comments": "Dev's words."}
    assert Response.objects.get(pk=response.pk).commissioner_comments == "Dana's words."
    # Saving the merge against the version shown in the conflict succeeds.
    assert edit(response, second_drafter, "Dana's and Dev's words.", conflict.version) is None
    assert Response.objects.get(pk=response.pk).commissioner_comments == "Dana's and Dev's words."


def test_a_newer_version_that_left_the_section_alone_is_no_conflict(response, drafter, reviewer):
    loaded = response.version
    workflow.assign_owner(response=response, actor=drafter, owner=reviewer)
    assert edit(response, drafter, "Fine.", loaded) is None
    assert Response.objects.get(pk=response.pk).commissioner_comments == "Fine."


def test_two_users_writing_the_first_answer_get_a_conflict(
    response, inspection, drafter, second_drafter
):
    finding = inspection.findings.get()
    workflow.save_answer(
        response=response, finding_id=finding.pk, actor=drafter, text="One.", loaded_version=0
    )
    conflict = workflow.save_answer(
        response=response,
        finding_id=finding.pk,
        actor=second_drafter,
        text="Two.",
        loaded_version=0,
    )
    assert conflict.saved == {"text": "One."}
    assert FindingResponse.objects.get(finding=finding).text == "One."


def test_saving_unchanged_text_writes_no_version(response, drafter):
    rows = Response.history.count()
    edit(response, drafter, "", response.version)
    assert Response.history.count() == rows


def test_restoring_a_version_is_itself_a_new_version(response, drafter):
    for text in ("First.", "Second."):
        edit(response, drafter, text)
    first = Response.history.get(id=response.pk, commissioner_comments="First.")
    current = Response.objects.get(pk=response.pk)
    workflow.restore_response_version(response=current, actor=drafter, record=first)
    restored = Response.objects.get(pk=response.pk)
    assert restored.commissioner_comments == "First."
    assert restored.version == current.version + 1
    assert reasons(response)[-1] == f"Restored version {first.version}"


def test_available_actions_follow_role_and_state(response, drafter, reviewer, publisher):
    assert workflow.available_actions(response, drafter) == [Action.SUBMIT]
    assert workflow.available_actions(response, reviewer) == []
    workflow.submit(response=response, actor=drafter)
    response.refresh_from_db()
    assert workflow.available_actions(response, drafter) == [Action.WITHDRAW]
    assert workflow.available_actions(response, reviewer) == [Action.REQUEST_CHANGES]
    assert workflow.available_actions(response, publisher) == []
    assert workflow.available_actions(None, drafter) == []


def test_only_reviewers_comment(response, drafter):
    with pytest.raises(Refused):
        workflow.add_comment(response=response, actor=drafter, text="Hmm")


def test_notifications_go_to_owner_and_reviewers_on_submit(
    response, drafter, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(response=response, actor=drafter)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [reviewer.email]
    assert "Submit for review" in mailoutbox[0].subject


def test_notifications_on_request_changes_and_approve_reach_the_owner(
    response, drafter, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    complete(response, drafter)
    workflow.submit(response=response, actor=drafter)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(response=response, actor=reviewer, reason="More detail.")
    assert mailoutbox[-1].to == [drafter.email]
    assert "More detail." in mailoutbox[-1].body
    workflow.submit(response=response, actor=drafter)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(response=response, actor=reviewer)
    assert mailoutbox[-1].to == [drafter.email]
    assert "Approve" in mailoutbox[-1].subject


def test_withdrawing_sends_no_email(
    response, drafter, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.submit(response=response, actor=drafter)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(response=response, actor=drafter)
    assert mailoutbox == []


def test_reviewers_without_email_or_inactive_are_skipped(response, drafter, reviewer):
    from responses.notifications import recipients

    reviewer.is_active = False
    reviewer.save()
    assert recipients(response, actor=drafter) == []
    assert Group.objects.filter(name=roles.REVIEWER).exists()


# --- publishing and amendments ---------------------------------------------------------


def test_response_publish_refuses_a_response_that_is_not_approved(statement_003, publisher):
    Response.objects.filter(pk=statement_003.pk).update(status=Status.IN_REVIEW)
    with pytest.raises(Refused, match="approved"):
        workflow.response_publish(response=statement_003, by=publisher)


def test_response_publish_refuses_someone_who_is_not_a_publisher(statement_003, reviewer):
    with pytest.raises(Refused, match="Publisher"):
        workflow.response_publish(response=statement_003, by=reviewer)


def test_publish_is_never_a_generic_action(statement_003, publisher):
    assert "publish" not in workflow.available_actions(statement_003, publisher)


def test_an_amendment_goes_back_to_draft_and_publishes_version_2(published_003, drafter, publisher):
    response = Response.objects.get(pk=published_003.response_id)
    assert Action.AMEND in workflow.available_actions(response, drafter)
    assert Action.AMEND not in workflow.available_actions(response, publisher)
    response = workflow.amend(response=response, actor=drafter, reason="Correct a date")
    assert response.status == Status.DRAFT
    response = approve(response)
    with pytest.raises(Refused, match="what changed"):
        workflow.response_publish(response=response, by=publisher)
    second = workflow.response_publish(
        response=response, by=publisher, amendment_note="Corrected a date."
    )
    assert second.version == 2
    assert list(response.publications.order_by("version").values_list("version", flat=True)) == [
        1,
        2,
    ]
