"""The office's two imported statements, as a new user meets them: published, never overdue,
and read as the statements said."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspections import deadlines
from responses import dashboard, reminders
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Response
from tests.downloads import csv_rows

pytestmark = pytest.mark.django_db
UNDATED = "Published before this site; date not recorded"


@pytest.fixture
def imported(db):
    return [
        import_statement_file(path).response
        for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt"))
    ]


def test_the_clock_of_a_statement_published_without_a_date_has_stopped():
    deadline = deadlines.Deadline(deadlines.last_day_of_period(deadlines.today(), 1), True, "")
    clock = deadlines.clock_status(
        deadline, report_published_on=deadlines.today(), on=deadlines.today(), published=True
    )
    assert clock.state == deadlines.ClockState.PUBLISHED_UNDATED
    assert not clock.is_open and clock.label == UNDATED


def test_the_staff_list_and_pages_show_them_published_not_overdue(client, imported, reviewer):
    client.force_login(reviewer)
    pages = [client.get(reverse("inspection-list")).content.decode()]
    for response in imported:
        pages.append(client.get(response.inspection.get_absolute_url()).content.decode())
        pages.append(client.get(reverse("response-detail", args=[response.pk])).content.decode())
    for page in pages:
        assert "Overdue" not in page
    assert pages[0].count(UNDATED) == 2
    assert all(UNDATED in page for page in pages[1:])


def test_the_dashboard_reminders_and_exports_do_not_chase_them(client, imported, publisher):
    office = dashboard.OfficeSettings.load()
    today = deadlines.today()
    counts = dashboard.count(today=today, office=office, filters=dashboard.Filters())
    # Their findings are tracked on the action plan like any others; the responses are done.
    responses = [spec.key for spec in dashboard.PANELS if spec.about != "findings"]
    assert {counts[key] for key in responses} == {0}
    assert reminders.response_items(today=today, office=office, horizon=365) == []
    client.force_login(publisher)
    export = client.get(reverse("export", args=["responses", "csv"]))
    rows = csv_rows(export)
    assert [row["Standing"] for row in rows] == [UNDATED, UNDATED]


def test_the_public_page_says_plainly_when_it_was_published(client, imported):
    for response in imported:
        page = client.get(reverse("public-response", args=[response.inspection.public_id]))
        text = page.content.decode()
        assert UNDATED in text
        assert "How many days after the report is not known" not in text
        assert "No separate response" not in text


def test_importing_them_again_changes_nothing(imported):
    before = [(r.pk, r.version, r.commissioner_comments) for r in Response.objects.order_by("pk")]
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        import_statement_file(path)
    after = [(r.pk, r.version, r.commissioner_comments) for r in Response.objects.order_by("pk")]
    assert after == before


def test_the_demo_shows_statement_000_with_the_chief_constables_comments(client):
    call_command("load_demo", stdout=io.StringIO())
    response = Response.objects.get(inspection__hmicfrs_number=29536)
    assert response.chief_constable_comments.startswith("The Constabulary welcome this report")
    page = client.get(reverse("public-response", args=[response.inspection.public_id]))
    text = page.content.decode()
    chief = text[text.index("The chief constable's comments") :]
    assert "nearly £400,000 in analytical capability" in chief
    assert "AFI LEVEL 3 #29550 (#29550)" not in text
