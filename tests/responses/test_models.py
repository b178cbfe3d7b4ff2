import datetime

import pytest
from django.db import IntegrityError, transaction

from inspections import deadlines
from responses import workflow
from responses.models import FindingResponse, Response
from tests.factories import approve, clean_problems, make_finding, make_inspection, make_response

D = datetime.date


@pytest.fixture
def response(db):
    inspection = make_inspection()
    make_finding(inspection)
    return make_response(inspection, commissioner_comments="I welcome the report.")


def _versions(response):
    return list(
        Response.history.filter(id=response.pk)
        .order_by("history_date")
        .values_list("version", flat=True)
    )


def test_a_save_that_does_not_bump_the_version_is_refused_and_changes_nothing(response):
    # The admin bug seen in the issue: a second "version 1" (here) or "version 2" in history.
    response.status = "approved"
    with pytest.raises(IntegrityError), transaction.atomic():
        response.save()
    response.refresh_from_db()
    assert response.status == "draft"
    assert _versions(response) == [1]


def test_a_version_that_skips_one_is_refused(response):
    response.version += 2
    response.commissioner_comments = "Jumped ahead."
    with pytest.raises(IntegrityError), transaction.atomic():
        response.save()
    assert _versions(response) == [1]


def test_the_history_of_a_response_counts_one_version_per_step(response, drafter, publisher):
    finding = response.inspection.findings.get()
    workflow.save_answer(
        response=response, finding_id=finding.pk, actor=drafter, text="Done.", loaded_version=0
    )
    approve(response, drafter=drafter)
    assert _versions(response) == [1, 2, 3]
    answer = FindingResponse.objects.get()
    assert list(answer.history.values_list("version", flat=True).order_by("version")) == [1]


def test_answers_keep_one_history_row_per_version(response, drafter):
    finding = response.inspection.findings.get()
    workflow.save_answer(
        response=response, finding_id=finding.pk, actor=drafter, text="Done.", loaded_version=0
    )
    answer = FindingResponse.objects.get()
    answer.text = "Rewritten without a new version."
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()
    answer.refresh_from_db()
    assert answer.text == "Done."


# --- the chief constable's dates, in order ----------------------------------------------


def test_the_chief_constable_is_asked_before_the_date_given_to_answer(response):
    response.chief_constable_requested_on = D(2025, 6, 10)
    response.chief_constable_due_on = D(2025, 6, 9)
    response.chief_constable_received_on = D(2025, 6, 1)

    problems = clean_problems(response)

    assert problems["chief_constable_due_on"] == [
        "Date by which the chief constable was asked to comment must be the same as or after "
        "the date the comments were requested (10 June 2025)"
    ]
    assert problems["chief_constable_received_on"] == [
        "Date the chief constable's comments were received must be the same as or after the "
        "date the comments were requested (10 June 2025)"
    ]


def test_comments_cannot_be_requested_or_received_in_the_future(response):
    tomorrow = deadlines.today() + datetime.timedelta(days=1)
    response.chief_constable_requested_on = tomorrow
    response.chief_constable_received_on = tomorrow

    problems = clean_problems(response)

    assert problems["chief_constable_requested_on"] == [
        "Date the chief constable's comments were requested must be today or in the past"
    ]
    assert problems["chief_constable_received_on"] == [
        "Date the chief constable's comments were received must be today or in the past"
    ]


def test_a_date_asked_for_may_be_in_the_future(response):
    response.chief_constable_requested_on = deadlines.today()
    response.chief_constable_due_on = deadlines.today() + datetime.timedelta(days=14)

    assert clean_problems(response) == {}


@pytest.mark.parametrize("later", ["chief_constable_due_on", "chief_constable_received_on"])
def test_the_database_keeps_the_chief_constables_dates_in_order(response, later):
    response.chief_constable_requested_on = D(2025, 6, 10)
    setattr(response, later, D(2025, 6, 9))
    response.version += 1

    with pytest.raises(IntegrityError, match="not_before_request"), transaction.atomic():
        response.save()
