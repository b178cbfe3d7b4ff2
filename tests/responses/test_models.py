import pytest
from django.db import IntegrityError, transaction

from responses import workflow
from responses.models import FindingResponse, Response
from tests.factories import approve, make_finding, make_inspection, make_response


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
