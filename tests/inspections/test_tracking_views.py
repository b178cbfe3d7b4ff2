"""Action plan pages and the per-finding tracking page."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from inspections import tracking, tracking_views
from inspections.models import (
    DuePrecision,
    Finding,
    ForceContributor,
    OfficeSettings,
    ProgressUpdate,
    Service,
    TrackingStatus,
)
from responses import roles
from tests.factories import date_parts, make_finding, make_inspection
from tests.pdf_helpers import embedded_fonts

D = datetime.date
pytestmark = pytest.mark.django_db
DUE_30_APRIL = {"due_date": D(2026, 4, 30), "due_precision": DuePrecision.DAY}


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _findings(count, owner, by, *, per_inspection=1, start=0):
    for n in range(start, start + count):
        inspection = make_inspection(
            title=f"Inspection {n:03d}", published_on=D(2025, 1, 1) + datetime.timedelta(days=n)
        )
        for _ in range(per_inspection):
            finding = make_finding(
                inspection, due_date=D(2026, 1, 31), due_precision=DuePrecision.DAY, owner=owner
            )
            for update in range(3):
                tracking.add_progress(
                    finding=finding, text=f"Update {n:03d}.{update}", evidence=None, by=by
                )
            tracking.revise_target(
                finding=finding,
                revised_date=D(2026, 6, 30),
                reason="R",
                approved_by_name="CEO",
                by=by,
            )


def test_the_action_plan_makes_the_same_queries_and_page_for_few_or_many_inspections(
    signed_in, reviewer, drafter, django_assert_num_queries
):
    OfficeSettings.load()
    client = signed_in(reviewer)
    sizes = []
    for start, count in ((0, 12), (12, 36)):
        _findings(count, drafter, drafter, per_inspection=2, start=start)
        # Session, user, the user's and group permissions (2), the inspections with matching
        # findings: their count and this page of them (2), the findings of that page with
        # their current targets and latest updates, office settings (context processor), the
        # owner choices in the filter form.
        with django_assert_num_queries(9):
            response = client.get(reverse("action-plan"))
        sizes.append(len(response.content))
    assert sizes[1] < sizes[0] * 1.05
    page = response.content.decode()
    # The newest ten reports, each under its own heading, with each finding's latest update.
    assert page.count('class="app-plan-group"') == tracking_views.PLAN_PAGE_SIZE
    assert page.count(">Inspection 047</a></h2>") == 1 and "Inspection 037" not in page
    assert page.count("Update 047.2") == 2 and "Update 047.1" not in page
    assert "Inspections 1 to 10 of the 48 with findings that match" in page


def test_the_action_plan_across_all_inspections_names_each_inspection_once(
    signed_in, reviewer, drafter
):
    _findings(3, drafter, drafter, per_inspection=4)
    page = signed_in(reviewer).get(reverse("action-plan")).content.decode()
    for n in range(3):
        # Its heading, and its table's caption and scrolling region's name: not on every row.
        assert page.count(f"Inspection {n:03d}") == 3
    assert "Inspections 1 to" not in page and "3 inspections with findings that match" in page


def test_the_pdf_of_the_action_plan_holds_the_page_it_was_asked_from(signed_in, reviewer, drafter):
    _findings(12, drafter, drafter)
    response = signed_in(reviewer).get(reverse("action-plan-pdf"), {"page": 2})
    assert response["Content-Disposition"].endswith('-2.pdf"')
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Inspection 001" in text and "Inspection 002" not in text
    assert "Inspections 11 to 12 of the 12" in text


@time_machine.travel(D(2026, 2, 10), tick=False)
def test_the_action_plan_filters_by_status_owner_and_overdue(signed_in, reviewer, drafter):
    inspection = make_inspection()
    late = make_finding(
        inspection,
        due_date=D(2026, 1, 31),
        due_precision=DuePrecision.DAY,
        reference="Late one",
        owner=drafter,
    )
    make_finding(
        inspection,
        due_date=D(2026, 12, 31),
        due_precision=DuePrecision.DAY,
        reference="Future one",
        assured_status=TrackingStatus.IN_PROGRESS,
    )
    client = signed_in(reviewer)
    overdue = client.get(reverse("action-plan"), {"overdue": "on"}).content.decode()
    assert "Late one" in overdue and "Future one" not in overdue
    assert "Overdue" in overdue  # the RAG state in words
    by_status = client.get(reverse("action-plan"), {"status": "in_progress"}).content.decode()
    assert "Future one" in by_status and "Late one" not in by_status
    by_owner = client.get(reverse("action-plan"), {"owner": drafter.pk}).content.decode()
    assert "Late one" in by_owner and "Future one" not in by_owner
    assert late.pk


def test_the_inspection_action_plan_downloads_as_a_tagged_pdf(signed_in, reviewer, tmp_path):
    inspection = make_inspection(title="A fire inspection", service="fire", inspection_type="fire")
    make_finding(inspection, reference="Rec 01")
    response = signed_in(reviewer).get(reverse("action-plan-inspection-pdf", args=[inspection.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    reader = PdfReader(path)
    assert "Rec 01" in reader.pages[0].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    # The same rendering as statements: the project's own font, embedded, and the page furniture.
    fonts = embedded_fonts(response.content)
    assert fonts and all(fonts.values())
    assert all("Atkinson-Hyperlegible" in name for name in fonts)
    assert "Page 1 of 1" in reader.pages[0].extract_text()


def test_people_without_a_role_cannot_see_action_plans(signed_in, outsider):
    assert signed_in(outsider).get(reverse("action-plan")).status_code == 403


def test_a_drafter_sets_the_owner_but_not_the_assured_status(signed_in, drafter, reviewer):
    finding = make_finding(make_inspection())
    response = signed_in(drafter).post(
        reverse("finding-tracking-update", args=[finding.pk]),
        {
            "owner": reviewer.pk,
            "owner_team": "Public Protection Unit",
            # Only accepting the force's progress changes it (tests/inspections/test_force.py).
            "assured_status": "completed",
            "version": finding.version,
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.owner, finding.owner_team, finding.assured_status) == (
        reviewer,
        "Public Protection Unit",
        "open",
    )


def test_a_reviewer_cannot_change_tracking(signed_in, reviewer):
    finding = make_finding(make_inspection())
    response = signed_in(reviewer).post(
        reverse("finding-tracking-update", args=[finding.pk]), {"owner_team": "Anyone"}
    )
    assert response.status_code == 403


def test_the_owner_adds_progress_with_evidence_and_staff_can_download_it(signed_in, reviewer):
    finding = make_finding(make_inspection(), owner=reviewer)
    client = signed_in(reviewer)
    evidence = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")
    response = client.post(
        reverse("finding-progress-add", args=[finding.pk]),
        {"text": "Board agreed the plan", "evidence": evidence},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(finding=finding)
    assert update.created_by == reviewer and update.evidence
    download = client.get(reverse("progress-evidence", args=[finding.pk, update.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"


def test_a_revision_without_a_reason_is_shown_again_with_errors(signed_in, drafter):
    finding = make_finding(
        make_inspection(), due_date=D(2026, 4, 30), due_precision=DuePrecision.DAY
    )
    response = signed_in(drafter).post(
        reverse("finding-target-revise", args=[finding.pk]),
        {"revised_date_day": "30", "revised_date_month": "Sept", "revised_date_year": "26",
         "reason": "The audit <standard> moved", "approved_by_name": ""},
    )
    text = response.content.decode()
    assert response.status_code == 400
    start = text.index("govuk-error-summary")
    summary = text[start : text.index("</ul>", start)]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("revision-revised_date_year", "Revised target date must include a year with 4 numbers"),
        ("revision-approved_by_name", "Enter the name of the person who approved it"),
    ]
    year = r'value="26"[^>]*aria-invalid="true"[^>]*id="revision-revised_date_year"'
    assert re.search(year, text)
    assert 'value="Sept"' in text and "The audit &lt;standard&gt; moved</textarea>" in text
    assert not finding.target_revisions.exists()


def test_a_progress_update_left_empty_is_shown_again_with_its_error(signed_in, drafter):
    finding = make_finding(make_inspection(), owner=drafter)

    response = signed_in(drafter).post(
        reverse("finding-progress-add", args=[finding.pk]), {"text": " "}
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#progress-text">Enter the progress made</a>' in text
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="progress-text"', text)
    # The page's other forms keep their own ids.
    assert 'id="revision-reason"' in text and 'id="tracking-owner_team"' in text


def test_a_revision_is_shown_beside_the_original(signed_in, drafter):
    finding = make_finding(
        make_inspection(), due_date=D(2026, 4, 30), due_precision=DuePrecision.DAY
    )
    client = signed_in(drafter)
    client.post(
        reverse("finding-target-revise", args=[finding.pk]),
        {
            **date_parts("revised_date", D(2026, 9, 30)),
            "reason": "New IT system",
            "approved_by_name": "Gill CEO",
        },
    )
    page = client.get(reverse("finding-tracking", args=[finding.pk])).content.decode()
    assert "30 April 2026" in page and "30 September 2026" in page and "Gill CEO" in page
    assert Finding.objects.get(pk=finding.pk).due_date == D(2026, 4, 30)


def test_a_publisher_puts_a_fire_action_plan_on_the_public_site(signed_in, publisher, client):
    inspection = make_inspection(title="Fire plan", service="fire", inspection_type="fire")
    make_finding(inspection, reference="Rec 01", owner_team="Prevention team")
    public_url = reverse("public-action-plan", args=[inspection.public_id])
    assert client.get(public_url).status_code == 404
    signed_in(publisher).post(reverse("action-plan-publish", args=[inspection.pk]))
    client.logout()
    page = client.get(public_url).content.decode()
    assert "Rec 01" in page and "Prevention team" in page
    assert "Fire plan" in client.get(reverse("public-action-plans")).content.decode()


def test_the_public_list_of_fire_action_plans_is_a_page_at_a_time(
    client, django_assert_num_queries
):
    OfficeSettings.load()
    for start, count in ((0, 25), (25, 50)):
        for n in range(start, start + count):
            inspection = make_inspection(
                title=f"Fire plan {n:03d}",
                service="fire",
                inspection_type="fire",
                published_on=D(2020, 1, 1) + datetime.timedelta(days=n),
            )
            tracking.publish_action_plan(inspection=inspection, on=D(2026, 1, 5))
        # Office settings, the plans' count and this page of them.
        with django_assert_num_queries(3):
            page = client.get(reverse("public-action-plans")).content.decode()
    assert "Plans 1 to 20 of 75, the newest report first." in page
    assert "Fire plan 074" in page and "Fire plan 054" not in page
    assert 'aria-label="Page 4"' in page


def test_two_people_setting_the_owner_at_once_see_a_conflict(
    signed_in, drafter, second_drafter, reviewer
):
    finding = make_finding(make_inspection())
    url = reverse("finding-tracking-update", args=[finding.pk])
    opened = {"version": finding.version}
    signed_in(drafter).post(url, {**opened, "owner_team": "Crime Command"})

    got = signed_in(second_drafter).post(
        url, {**opened, "owner": reviewer.pk, "owner_team": "Public Protection Unit"}
    )

    assert got.status_code == 409
    assert "Someone else changed this since you opened it" in got.content.decode()
    [row] = got.context["conflict"]
    assert (row["label"], row["yours"], row["saved"]) == (
        "Owning team",
        "Public Protection Unit",
        "Crime Command",
    )
    finding.refresh_from_db()
    assert (finding.owner_team, finding.owner) == ("Crime Command", None)
    # The form holds the second person's choices and the version now seen.
    form = got.context["tracking_form"]
    assert form.initial["owner"] == reviewer
    assert form.initial["version"] == finding.version


# Evidence is accepted by its content and served inert (issue 11).


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", b"<!doctype html><script>alert(1)</script>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("minutes.pdf", b"<html><script>alert(1)</script>"),  # the name lies
    ],
)
def test_evidence_that_is_not_a_document_or_image_is_refused(signed_in, reviewer, name, content):
    finding = make_finding(make_inspection(), owner=reviewer)
    response = signed_in(reviewer).post(
        reverse("finding-progress-add", args=[finding.pk]),
        {"text": "Board agreed the plan", "evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "The evidence file must be a PDF, Word" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_evidence_is_stored_as_what_it_is_and_served_as_an_inert_attachment(signed_in, reviewer):
    finding = make_finding(make_inspection(), owner=reviewer)
    client = signed_in(reviewer)
    upload = SimpleUploadedFile("minutes.html", b"%PDF-1.4 minutes", "text/html")
    client.post(
        reverse("finding-progress-add", args=[finding.pk]), {"text": "Agreed", "evidence": upload}
    )
    update = ProgressUpdate.objects.get(finding=finding)
    assert update.evidence.name.endswith("/minutes.pdf")
    download = client.get(reverse("progress-evidence", args=[finding.pk, update.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_evidence_over_the_size_limit_is_refused(signed_in, reviewer, settings):
    finding = make_finding(make_inspection(), owner=reviewer)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    response = signed_in(reviewer).post(
        reverse("finding-progress-add", args=[finding.pk]), {"text": "Big", "evidence": big}
    )
    assert response.status_code == 400
    assert "smaller than 20 MB" in response.content.decode()


def test_the_public_fire_action_plan_shows_the_assured_status_only(
    signed_in, publisher, client, make_user, reviewer
):
    fire = make_user("fenn", roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=fire, service=Service.FIRE)
    inspection = make_inspection(title="Fire plan", service="fire", inspection_type="fire")
    assured, claimed = make_finding(inspection), make_finding(inspection)
    accepted = tracking.submit_progress(
        finding=assured, by=fire, narrative="Started.", claimed_status=TrackingStatus.IN_PROGRESS
    )
    tracking.accept_submission(submission=accepted, by=reviewer)
    tracking.submit_progress(
        finding=claimed, by=fire, narrative="Done.", claimed_status=TrackingStatus.COMPLETED
    )
    signed_in(publisher).post(reverse("action-plan-publish", args=[inspection.pk]))
    staff_page = client.get(reverse("action-plan-inspection", args=[inspection.pk]))
    assert "The force says" in staff_page.content.decode()
    client.logout()
    page = client.get(reverse("public-action-plan", args=[inspection.public_id])).content.decode()
    assert "In progress" in page
    assert "Completed" not in page and "The force says" not in page
