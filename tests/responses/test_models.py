import datetime

import pytest
from django.db import IntegrityError

from inspections import deadlines
from tests.factories import clean_problems, make_response

pytestmark = pytest.mark.django_db

D = datetime.date



def test_the_chief_constable_is_asked_before_the_date_given_to_answer():
    response = make_response()
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


def test_comments_cannot_be_requested_or_received_in_the_future():
    tomorrow = deadlines.today() + datetime.timedelta(days=1)
    response = make_response()
    response.chief_constable_requested_on = tomorrow
    response.chief_constable_received_on = tomorrow

    problems = clean_problems(response)

    assert problems["chief_constable_requested_on"] == [
        "Date the chief constable's comments were requested must be today or in the past"
    ]
    assert problems["chief_constable_received_on"] == [
        "Date the chief constable's comments were received must be today or in the past"
    ]


def test_a_date_asked_for_may_be_in_the_future():
    response = make_response()
    response.chief_constable_requested_on = deadlines.today()
    response.chief_constable_due_on = deadlines.today() + datetime.timedelta(days=14)

    assert clean_problems(response) == {}


@pytest.mark.parametrize("later", ["chief_constable_due_on", "chief_constable_received_on"])
def test_the_database_keeps_the_chief_constables_dates_in_order(later):
    response = make_response(chief_constable_requested_on=D(2025, 6, 10))
    setattr(response, later, D(2025, 6, 9))

    with pytest.raises(IntegrityError):
        response.save()
