"""CSV and XLSX exports parse back with the expected rows and respect the filters."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from inspections import tracking
from inspections.models import DuePrecision
from responses.models import ExportFile, Status
from tests.downloads import body as downloaded
from tests.factories import make_finding, make_inspection, make_response

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def data(drafter):
    police = make_inspection(
        title="Police report", hmicfrs_number=29536, published_on=D(2025, 5, 16)
    )
    make_response(police, owner=drafter, status=Status.PUBLISHED, published_on=D(2025, 7, 1))
    fire = make_inspection(
        title="Fire report", service="fire", inspection_type="fire", published_on=D(2026, 1, 5)
    )
    finding = make_finding(
        fire,
        reference="Rec 01",
        due_date=D(2026, 2, 28),
        due_precision=DuePrecision.DAY,
        owner=drafter,
    )
    make_finding(police, reference="AFI 1", owner_team="Custody team")
    tracking.revise_target(
        finding=finding, revised_date=D(2026, 5, 31), reason="R", approved_by_name="CEO", by=drafter
    )
    tracking.add_progress(finding=finding, text='=HYPERLINK("x")', evidence=None, by=drafter)
    return police, fire


def _csv(client, kind, **params):
    response = client.get(reverse("export", args=[kind, "csv"]), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(client, kind, **params):
    response = client.get(reverse("export", args=[kind, "xlsx"]), params)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@time_machine.travel(D(2026, 3, 2), tick=False)
def test_findings_export_with_tracking_fields_in_both_formats(client, reviewer, data):
    client.force_login(reviewer)
    rows = _csv(client, "findings")
    assert [row["Reference"] for row in rows] == ["Rec 01", "AFI 1"]
    rec = rows[0]
    assert rec["Target set by HMICFRS"] == "2026-02-28"
    assert rec["Revised target"] == "2026-05-31" and rec["Current target"] == "2026-05-31"
    assert rec["Office-assured status"] == "Open" and rec["Progress updates"] == "1"
    assert (rec["Force's claimed status"], rec["HMICFRS position"]) == ("Nothing submitted", "Open")
    assert rec["Latest update text"].startswith("'=")  # never runs as a formula
    assert rows[1]["Owning team"] == "Custody team"
    xlsx = _xlsx(client, "findings")
    assert xlsx[0]["Target set by HMICFRS"].date() == D(2026, 2, 28)
    assert xlsx[0]["Revised target"].date() == D(2026, 5, 31)
    assert [row["Reference"] for row in xlsx] == ["Rec 01", "AFI 1"]


def test_exports_respect_the_filters(client, reviewer, drafter, data):
    client.force_login(reviewer)
    assert [r["Reference"] for r in _csv(client, "findings", service="fire")] == ["Rec 01"]
    assert [r["Title"] for r in _csv(client, "inspections", service="police")] == ["Police report"]
    assert [r["Inspection"] for r in _csv(client, "responses", owner=drafter.pk)] == [
        "Police report"
    ]
    assert _csv(client, "responses", mine="on") == []


def test_responses_export_has_dates_and_days_taken(client, reviewer, data):
    client.force_login(reviewer)
    rows = {row["Inspection"]: row for row in _xlsx(client, "responses")}
    police = rows["Police report"]
    assert police["Deadline"].date() == D(2025, 7, 10)
    assert police["Response published"].date() == D(2025, 7, 1)
    assert police["Days taken"] == 47
    assert police["Financial year published"] == "2025-26"
    assert rows["Fire report"]["Days taken"] is None
    # s.55(5A) binds the police report; the fire report has the office's own target.
    assert police["Deadline kind"] == "Statutory deadline"
    assert rows["Fire report"]["Deadline kind"] == "Local target"
    assert rows["Fire report"]["Deadline"].date() == D(2026, 3, 1)


def test_unknown_exports_are_not_found(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("export", args=["secrets", "csv"])).status_code == 404
    assert client.get(reverse("export", args=["findings", "pdf"])).status_code == 404


def test_exports_need_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("export", args=["findings", "csv"])).status_code == 403


# Bad filter values (issue 11): the same filter forms as the pages, checked before streaming.


def test_a_search_for_a_superscript_digit_exports_what_matches_the_title(client, reviewer, data):
    client.force_login(reviewer)
    assert _csv(client, "inspections", q="²") == []


def test_a_bad_inspection_is_ignored_and_an_unknown_one_not_found(client, reviewer, data):
    client.force_login(reviewer)
    assert len(_csv(client, "findings", inspection="²")) == 2
    assert len(_csv(client, "findings", inspection=str(2**63))) == 2
    response = client.get(reverse("export", args=["findings", "csv"]), {"inspection": "999999"})
    assert response.status_code == 404


@pytest.mark.parametrize("kind, fmt", [("responses", "xlsx"), ("inspections", "csv")])
def test_a_null_character_in_a_filter_is_refused_before_the_download_starts(
    client, reviewer, data, kind, fmt
):
    client.force_login(reviewer)
    response = client.get(reverse("export", args=[kind, fmt]) + "?q=a%00b")
    assert response.status_code == 400
    assert not response.streaming


# --- exports too large for a request ---


# The worker closes connections it finds in a transaction, as a test's would be on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_made_in_the_background_with_its_progress_shown(
    client, reviewer, settings
):
    """Over the threshold the download becomes a page: queued, then made by the worker
    (django-tasks-db's, as cron or a service runs it), then offered for download."""
    settings.EXPORT_BACKGROUND_ROWS = 2
    inspection = make_inspection(title="Large report")
    for _ in range(5):
        make_finding(inspection)
    client.force_login(reviewer)
    asked = client.get(reverse("export", args=["findings", "xlsx"]))
    export_file = ExportFile.objects.get()
    assert asked.status_code == 302 and asked["Location"] == export_file.get_absolute_url()
    page = client.get(asked["Location"]).content.decode()
    assert "Waiting to start" in page and "0 of 5 rows" in page
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page = client.get(asked["Location"]).content.decode()
    assert "Your export is ready" in page
    download = client.get(reverse("export-download", args=[export_file.pk]))
    rows = list(load_workbook(io.BytesIO(downloaded(download)), read_only=True).active.values)
    assert len(rows) == 6 and rows[1][1] == "Large report"


def test_a_small_export_is_sent_at_once(client, reviewer, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    make_finding(make_inspection())
    client.force_login(reviewer)
    assert client.get(reverse("export", args=["findings", "csv"])).status_code == 200
    assert not ExportFile.objects.exists()
