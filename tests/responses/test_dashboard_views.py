"""The staff home page and the lists behind its figures."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections import tracking
from inspections.models import DuePrecision, OfficeSettings
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Status
from tests.factories import make_finding, make_inspection, make_publication, make_response

D = datetime.date
TODAY = D(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _due_in(days: int, **response_fields):
    published_on = TODAY + datetime.timedelta(days=days - 55)
    inspection = make_inspection(title=f"Report due in {days} days", published_on=published_on)
    make_response(inspection, **response_fields)
    return inspection


def _data(size: int, owner):
    for n in range(size):
        inspection = _due_in(-n - 1, owner=owner)
        _due_in(n + 2, owner=owner, status=Status.IN_REVIEW)
        published = make_response(
            make_inspection(published_on=D(2025, 6, 1)),
            status=Status.PUBLISHED,
            published_on=D(2025, 7, 1) + datetime.timedelta(days=n),
        )
        make_publication(published, owner)
        finding = make_finding(
            inspection,
            due_date=TODAY + datetime.timedelta(days=n - 3),
            due_precision=DuePrecision.DAY,
            owner=owner,
        )
        tracking.revise_target(
            finding=finding,
            revised_date=TODAY + datetime.timedelta(days=n + 10),
            reason="R",
            approved_by_name="CEO",
            by=owner,
        )


@pytest.mark.parametrize("size", [1, 5])
def test_the_dashboard_holds_a_constant_number_of_queries(
    client, publisher, drafter, django_assert_num_queries, size
):
    _data(size, drafter)
    OfficeSettings.load()
    client.force_login(publisher)
    # session, user, user's and group permissions (2), office settings (read once for the view
    # and the context processor), published responses (compliance), six response panels, the
    # onward copies panel, the two panels of responses waiting on the force, four finding
    # panels (overdue, due soon, awaiting assurance, disagreeing), timeline responses and
    # findings (2), owner choices.
    with django_assert_num_queries(22):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_the_dashboard_shows_overdue_and_due_soon_items_with_words_not_just_colour(
    client, publisher
):
    _due_in(-4)
    _due_in(5)
    _due_in(20)
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Overdue by 4 days" in page
    assert "Due in 5 days" in page and "Due within 7 days" in page
    assert "Due in 20 days" in page and "On track" in page
    assert 'role="img"' in page and "<title" in page


def test_each_figure_links_to_its_filtered_list(client, publisher, drafter):
    mine = _due_in(-4, owner=publisher)
    _due_in(-5, owner=drafter)
    client.force_login(publisher)
    page = client.get(reverse("dashboard"), {"mine": "on"}).content.decode()
    assert f"{reverse('deadline-list')}?panel=overdue&amp;mine=on" in page
    listed = client.get(reverse("deadline-list"), {"panel": "overdue", "mine": "on"})
    assert mine.title in listed.content.decode()
    assert "Report due in -5 days" not in listed.content.decode()


def test_the_compliance_year_links_to_the_responses_published_that_year(client, publisher):
    make_response(
        make_inspection(title="Published in 2025-26", published_on=D(2025, 6, 1)),
        status=Status.PUBLISHED,
        published_on=D(2025, 7, 1),
    )
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    assert "panel=published&amp;year=2025-26" in page
    listed = client.get(reverse("deadline-list"), {"panel": "published", "year": "2025-26"})
    assert "Published in 2025-26" in listed.content.decode()
    assert "Published on time (day 31)" in listed.content.decode()


def test_an_unknown_list_is_not_found(client, publisher):
    client.force_login(publisher)
    assert client.get(reverse("deadline-list"), {"panel": "nope"}).status_code == 404


def test_people_without_a_role_cannot_see_the_dashboard(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("dashboard")).status_code == 403


def test_publications_without_both_onward_copies_are_listed_until_recorded(
    client, publisher, drafter
):
    response = make_response(
        make_inspection(title="Copies pending"), status=Status.PUBLISHED, published_on=D(2026, 2, 1)
    )
    publication = make_publication(response, publisher, published_on=D(2026, 2, 1))
    client.force_login(publisher)
    page = client.get(reverse("deadline-list"), {"panel": "copies"}).content.decode()
    assert "Copies pending" in page
    assert "Not yet sent to HMICFRS or the Home Secretary" in page

    publication.sent_to_hmicfrs_on = D(2026, 2, 2)
    publication.sent_to_hmicfrs_by = publisher
    publication.sent_to_home_secretary_on = D(2026, 2, 2)
    publication.sent_to_home_secretary_by = publisher
    publication.save()
    page = client.get(reverse("deadline-list"), {"panel": "copies"}).content.decode()
    assert "Copies pending" not in page


def test_the_dashboard_and_its_lists_cope_with_the_imported_back_catalogue(client, publisher):
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        import_statement_file(path)
    client.force_login(publisher)
    assert client.get(reverse("dashboard")).status_code == 200
    for panel in ("published", "copies"):
        assert client.get(reverse("deadline-list"), {"panel": panel}).status_code == 200
