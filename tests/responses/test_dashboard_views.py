"""The staff home page and the lists behind its figures."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from inspections import tracking
from inspections.models import DuePrecision, OfficeSettings, ProgressSubmission, TrackingStatus
from responses import dashboard
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Invitation, Response, Status
from tests.factories import make_finding, make_inspection, make_publication, make_response

D = datetime.date
TODAY = D(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _due_in(days: int, title: str = "", **response_fields):
    published_on = TODAY + datetime.timedelta(days=days - 55)
    inspection = make_inspection(
        title=title or f"Report due in {days} days", published_on=published_on
    )
    make_response(inspection, **response_fields)
    return inspection


def _data(size: int, owner):
    """`size` of everything every panel, list and chart shows, with titles of one length so
    that pages of the same rows are the same size."""
    title = "A report of the same length"
    for n in range(size):
        inspection = _due_in(-(n % 20) - 1, title, owner=owner)
        _due_in(n % 20 + 2, title, owner=owner, status=Status.IN_REVIEW)
        _due_in(n % 20 + 2, title, owner=owner, status=Status.APPROVED)
        published = make_response(
            make_inspection(title=title, published_on=D(2025, 6, 1)),
            status=Status.PUBLISHED,
            published_on=D(2025, 7, 1) + datetime.timedelta(days=n % 20),
        )
        make_publication(published, owner)
        for offset in (-8, 20):
            finding = make_finding(
                inspection,
                due_date=TODAY + datetime.timedelta(days=n % 20 + offset),
                due_precision=DuePrecision.DAY,
                owner=owner,
            )
            tracking.revise_target(
                finding=finding,
                revised_date=TODAY + datetime.timedelta(days=n % 20 + offset + 1),
                reason="R",
                approved_by_name="CEO",
                by=owner,
            )
            # The force says complete, awaiting the office: on both of the force's finding lists.
            ProgressSubmission.objects.create(
                finding=finding,
                narrative="Done.",
                claimed_status=TrackingStatus.COMPLETED,
                submitted_by=owner,
            )
        # Comments asked of the force, wanted in a day, and wanted a day ago.
        for due_in in (1, -1):
            response = _due_in(n % 20 + 30, title, owner=owner).response
            due_on = TODAY + datetime.timedelta(days=due_in)
            asked_on = TODAY - datetime.timedelta(days=8)
            Invitation.objects.create(
                response=response, requested_on=asked_on, due_on=due_on, sent_by=owner
            )
            Response.objects.filter(pk=response.pk).update(
                chief_constable_requested_on=asked_on, chief_constable_due_on=due_on
            )


LISTS = [f"panel={spec.key}" for spec in dashboard.PANELS] + ["panel=published&year=2025-26"]


def _page_sizes(client, django_assert_num_queries) -> dict[str, int]:
    sizes = {}
    # Session, user, the user's and its groups' permissions (2), office settings (read once for
    # the view and the context processor); the counts: open inspections, findings, invited
    # responses, findings awaiting assurance, findings disagreeing, publications awaiting
    # copies (6); the first rows of the thirteen panels on tabs (13); the timeline's first
    # responses and findings (2); compliance's counts and medians (2); the owner choices.
    with django_assert_num_queries(29):
        sizes["dashboard"] = len(client.get(reverse("dashboard")).content)
    for query in LISTS:
        # Session, user, permissions (2), office settings, the list's count and its page, the
        # owner choices.
        with django_assert_num_queries(8):
            response = client.get(f"{reverse('deadline-list')}?{query}")
        assert response.status_code == 200
        sizes[query] = len(response.content)
    return sizes


def test_the_dashboard_and_its_lists_make_the_same_queries_and_pages_at_any_size(
    client, publisher, drafter, django_assert_num_queries, monkeypatch
):
    # Pages of five, so that every list fills its first page at both sizes.
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 5)
    OfficeSettings.load()
    client.force_login(publisher)
    _data(30, drafter)
    small = _page_sizes(client, django_assert_num_queries)
    _data(60, drafter)
    large = _page_sizes(client, django_assert_num_queries)
    # Three times the data, the same number of rows: only the counts and which rows differ.
    for page, size in small.items():
        assert large[page] < size * 1.05, page


def test_a_list_shows_a_bounded_set_of_page_links(client, publisher, drafter):
    for n in range(dashboard.PAGE_SIZE * 12):
        make_inspection(published_on=TODAY - datetime.timedelta(days=60 + n))
    client.force_login(publisher)
    page = client.get(reverse("deadline-list"), {"panel": "overdue", "page": 6}).content.decode()
    assert "Showing 126 to 150 of 300." in page
    links = re.findall(r'aria-label="Page (\d+)"', page)
    assert links == ["1", "5", "6", "7", "12"]
    assert 'href="?panel=overdue&amp;page=7"' in page
    # A page past the end shows the last; one that is no number, the first.
    last = client.get(reverse("deadline-list"), {"panel": "overdue", "page": 99999999})
    assert "Showing 276 to 300 of 300." in last.content.decode()
    first = client.get(reverse("deadline-list"), {"panel": "overdue", "page": "²"})
    assert "Showing 1 to 25 of 300." in first.content.decode()


def test_the_dashboard_leads_with_the_most_overdue_and_a_count_of_each_state(client, publisher):
    _due_in(-4)
    _due_in(-9)
    _due_in(5)
    _due_in(20)
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    summary = page[page.index('id="summary"') : page.index('id="filters"')]
    assert "Most overdue" in summary
    assert "Response to Report due in -9 days" in summary
    assert "Overdue by 9 days" in summary
    assert 'app-figure__count">2</span> <span class="app-figure__label">Overdue' in summary


def test_the_dashboard_says_when_nothing_is_overdue(client, publisher):
    _due_in(5)
    client.force_login(publisher)
    assert "Nothing is overdue." in client.get(reverse("dashboard")).content.decode()


def test_a_deadline_says_where_it_stands_once_in_words_with_its_tag(client, publisher):
    _due_in(-4)
    _due_in(5)
    _due_in(20)
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    for phrase, colour in (
        ("Overdue by 4 days", "red"),
        ("Due in 5 days", "yellow"),
        ("Due in 20 days", "green"),
    ):
        assert f'govuk-tag--{colour}">{phrase}</strong>' in page
    # Never the tag and then the same again beside it ("Overdue  Overdue by 4 days").
    assert not re.search(r"</strong>\s*(Overdue|Due in)", page)


def test_each_figure_links_to_its_filtered_list(client, publisher, drafter):
    mine = _due_in(-4, owner=publisher)
    _due_in(-5, owner=drafter)
    client.force_login(publisher)
    page = client.get(reverse("dashboard"), {"mine": "on"}).content.decode()
    assert f"{reverse('deadline-list')}?panel=overdue&amp;mine=on" in page
    listed = client.get(reverse("deadline-list"), {"panel": "overdue", "mine": "on"})
    assert mine.title in listed.content.decode()
    assert "Report due in -5 days" not in listed.content.decode()


def test_each_panel_shows_its_first_rows_and_links_to_the_rest(client, publisher):
    for days in range(-8, 0):
        _due_in(days)
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    panel = page[page.index('id="panel-overdue"') : page.index('id="panel-due-7"')]
    assert panel.count("Report due in -") == dashboard.PREVIEW
    assert "See all 8 overdue responses" in panel


def test_the_compliance_year_links_to_the_responses_published_that_year(client, publisher):
    response = make_response(
        make_inspection(title="Published in 2025-26", published_on=D(2025, 6, 1)),
        status=Status.PUBLISHED,
        published_on=D(2025, 7, 1),
    )
    make_publication(response, publisher, published_on=D(2025, 7, 1))
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    assert "panel=published&amp;year=2025-26" in page
    listed = client.get(reverse("deadline-list"), {"panel": "published", "year": "2025-26"})
    assert "Published in 2025-26" in listed.content.decode()
    assert 'govuk-tag--green">On time</strong>' in listed.content.decode()


def test_a_year_that_is_not_a_financial_year_is_ignored_with_a_message(client, publisher):
    client.force_login(publisher)
    response = client.get(reverse("deadline-list"), {"panel": "published", "year": "2025-99"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a financial year like 2025-26. This filter was ignored." in page
    assert "<title>Error: Responses published in every year" in page


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


def test_a_fire_dashboard_has_no_onward_copies(client, publisher):
    client.force_login(publisher)
    police = client.get(reverse("dashboard")).content.decode()
    fire = client.get(reverse("dashboard"), {"service": "fire"}).content.decode()
    assert "Copies not recorded" in police
    assert "Copies not recorded" not in fire and "s.55(6)" not in fire


def test_the_dashboard_and_its_lists_cope_with_the_imported_back_catalogue(client, publisher):
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        import_statement_file(path)
    client.force_login(publisher)
    assert client.get(reverse("dashboard")).status_code == 200
    for panel in ("published", "copies"):
        assert client.get(reverse("deadline-list"), {"panel": panel}).status_code == 200
