import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from inspections.pdf import RenderError
from responses import publishing, workflow
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Publication, PublicationImmutable, Response, Status
from responses.publishing import PublishError, publish_statement
from tests.factories import approve, explain_findings, make_inspection, make_response, redraft
from tests.responses.conftest import ON_TIME, assert_stored_as_recorded

LATE = datetime.datetime(2025, 7, 14, 10, 0, tzinfo=datetime.UTC)  # deadline was 10 July


@pytest.fixture(autouse=True)
def _within_the_response_period():
    with time_machine.travel(ON_TIME, tick=False):
        yield


@pytest.fixture
def published(statement_003, publisher):
    return publish_statement(response=statement_003, by=publisher)


def test_it_publishes_an_approved_response_as_version_1(published, statement_003, publisher):
    statement_003.refresh_from_db()
    assert statement_003.status == Status.PUBLISHED
    assert statement_003.published_on == datetime.date(2025, 7, 1)
    assert published.version == 1
    assert published.published_by == publisher
    assert published.days_taken == 47
    assert not published.late
    assert published.title == "Improving the response to organised immigration crime"


def test_it_stores_both_files_with_their_sha256(published):
    assert_stored_as_recorded(published)
    assert str(published.response.inspection.public_id) in published.pdf_file.name


def test_it_refuses_publish_without_approval(statement_003, publisher):
    Response.objects.filter(pk=statement_003.pk).update(status=Status.IN_REVIEW)
    with pytest.raises(PublishError, match="approved"):
        publish_statement(response=statement_003, by=publisher)
    assert not Publication.objects.exists()


def test_it_refuses_publish_by_someone_who_is_not_a_publisher(statement_003, reviewer, drafter):
    for user in (reviewer, drafter):
        with pytest.raises(PublishError, match="Publisher"):
            publish_statement(response=statement_003, by=user)
    statement_003.refresh_from_db()
    assert statement_003.status == Status.APPROVED
    assert not Publication.objects.exists()


def test_a_failed_render_leaves_nothing_published(statement_003, publisher, monkeypatch, settings):
    def fail(html):
        raise RenderError("the font is missing")

    monkeypatch.setattr(publishing, "render_statement_pdf", fail)
    with pytest.raises(PublishError, match="nothing was published: the font is missing"):
        publish_statement(response=statement_003, by=publisher)
    statement_003.refresh_from_db()
    assert statement_003.status == Status.APPROVED
    assert statement_003.published_on is None
    assert not Publication.objects.exists()
    assert not (settings.MEDIA_ROOT / "publications").exists()


def test_a_failure_while_recording_removes_the_stored_files(
    statement_003, publisher, monkeypatch, settings
):
    def fail(self, *args, **kwargs):
        raise IntegrityError("database went away")

    monkeypatch.setattr(Publication, "save", fail)
    with pytest.raises(IntegrityError):
        publish_statement(response=statement_003, by=publisher)
    stored = [p for p in (settings.MEDIA_ROOT / "publications").rglob("*") if p.is_file()]
    assert stored == []
    statement_003.refresh_from_db()
    assert statement_003.status == Status.APPROVED


def test_a_late_first_publication_needs_a_reason(statement_003, publisher):
    with time_machine.travel(LATE, tick=False):
        with pytest.raises(PublishError, match="4 days late"):
            publish_statement(response=statement_003, by=publisher)
        publication = publish_statement(
            response=statement_003, by=publisher, late_reason="Awaiting the chief constable."
        )
    assert publication.late and publication.days_late == 4
    assert publication.late_reason == "Awaiting the chief constable."
    assert publication.days_taken == 60


def test_an_amendment_publishes_version_2_with_a_note_and_keeps_version_1(
    published, statement_003, publisher, drafter
):
    statement_003 = approve(redraft(statement_003, drafter, "An updated comment."), drafter=drafter)
    with time_machine.travel(LATE, tick=False):
        with pytest.raises(PublishError, match="what changed"):
            publish_statement(response=statement_003, by=publisher)
        second = publish_statement(
            response=statement_003, by=publisher, amendment_note="Corrected a date."
        )
    assert second.version == 2
    # An amendment does not restart the statutory clock nor make the response late.
    assert not second.late and second.days_taken == published.days_taken
    statement_003.refresh_from_db()
    assert statement_003.published_on == datetime.date(2025, 7, 1)
    assert default_storage.exists(published.pdf_file.name)
    assert published.pdf_file.name != second.pdf_file.name
    with default_storage.open(second.html_file.name) as stored:
        html = stored.read().decode()
    assert "Version 2" in html and "Corrected a date." in html


def test_published_records_refuse_change(published):
    published.title = "Something else"
    with pytest.raises(PublicationImmutable):
        published.save()
    with pytest.raises(PublicationImmutable):
        Publication.objects.filter(pk=published.pk).update(title="Something else")
    with pytest.raises(PublicationImmutable), transaction.atomic():
        Publication.objects.bulk_update([published], ["title"])
    published.refresh_from_db()
    assert published.title == "Improving the response to organised immigration crime"


def test_published_records_refuse_deletion(published):
    with pytest.raises(PublicationImmutable):
        published.delete()
    with pytest.raises(PublicationImmutable):
        Publication.objects.all().delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        published.response.delete()
    assert Publication.objects.count() == 1


def test_onward_copies_can_be_recorded_once(published, publisher, reviewer):
    published.sent_to_hmicfrs_on = datetime.date(2025, 7, 2)
    published.sent_to_hmicfrs_by = publisher
    published.save()
    assert list(Publication.objects.awaiting_onward_copies()) == [published]
    published.sent_to_hmicfrs_on = datetime.date(2025, 7, 3)
    with pytest.raises(PublicationImmutable):
        published.save()
    published.refresh_from_db()
    published.sent_to_home_secretary_on = datetime.date(2025, 7, 2)
    published.sent_to_home_secretary_by = reviewer
    published.save()
    assert not Publication.objects.awaiting_onward_copies().exists()


def test_the_admin_offers_no_way_to_change_or_delete_a_publication(published, admin_client):
    url = f"/admin/responses/publication/{published.pk}/"
    assert admin_client.get(url + "change/").status_code == 200  # read-only view
    page = admin_client.get(url + "change/").content.decode()
    assert 'name="_save"' not in page
    assert admin_client.post(url + "change/", {"title": "Changed"}).status_code == 403
    assert admin_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        "/admin/responses/publication/",
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert Publication.objects.filter(pk=published.pk).exists()


# --- statements imported from the office's earlier record ---


@pytest.fixture
def imported_003(db):
    path = REFERENCE_STATEMENTS_DIR / "003_ef88c498391f3a02.txt"
    return import_statement_file(path).response.publications.get()


def test_only_an_imported_publication_may_lack_a_publisher_time_or_date(published):
    for missing in ("published_by", "published_at", "published_on"):
        record = Publication.objects.get(pk=published.pk)
        record.pk, record.version, record.amendment_note = None, 2, "A copy."
        record._state.adding = True
        setattr(record, missing, None)
        if missing == "published_on":
            record.days_taken, record.late = None, None
        with pytest.raises(IntegrityError), transaction.atomic():
            record.save()


def test_a_publication_with_no_date_records_no_days_nor_lateness(imported_003):
    for timing in ({"days_taken": 10}, {"late": False}):
        record = Publication.objects.get(pk=imported_003.pk)
        record.pk, record.version, record.amendment_note = None, 2, "A copy."
        record._state.adding = True
        for name, value in timing.items():
            setattr(record, name, value)
        with pytest.raises(IntegrityError), transaction.atomic():
            record.save()


def test_an_imported_publication_is_as_immutable_as_any(imported_003):
    imported_003.published_on = datetime.date(2025, 7, 1)
    with pytest.raises(PublicationImmutable):
        imported_003.save()
    with pytest.raises(PublicationImmutable):
        imported_003.delete()


def test_only_an_imported_published_response_is_recorded_as_imported(imported_003):
    prepared = make_response(
        make_inspection(), status=Status.PUBLISHED, published_on=ON_TIME.date()
    )
    with pytest.raises(PublishError, match="imported, published"):
        publishing.record_imported_statement(response=prepared, source_name="x.txt")
    with pytest.raises(PublishError, match="already has a published version"):
        publishing.record_imported_statement(response=imported_003.response, source_name="x.txt")


def test_an_amendment_to_an_undated_imported_statement_counts_no_days(
    imported_003, publisher, drafter
):
    response = workflow.amend(response=imported_003.response, actor=drafter)
    # Approval, re-checked at publication, asks for an explanation of every recommendation.
    explain_findings(response, drafter)
    response = approve(response, drafter=drafter)
    second = publish_statement(
        response=response, by=publisher, amendment_note="Added the chief constable's comments."
    )
    assert second.version == 2 and second.imported is False
    assert second.published_on == datetime.date(2025, 7, 1)
    assert second.days_taken is None and second.late is False
    response.refresh_from_db()
    # The first publication's date stays unknown: the amendment's date is not it.
    assert response.published_on is None


def test_onward_copies_of_an_undated_imported_statement_can_be_recorded(imported_003, publisher):
    assert not Publication.objects.awaiting_onward_copies().exists()
    publishing.record_onward_copy(
        publication=imported_003,
        recipient="hmicfrs",
        sent_on=datetime.date(2025, 6, 1),
        by=publisher,
    )
    imported_003.refresh_from_db()
    assert imported_003.sent_to_hmicfrs_on == datetime.date(2025, 6, 1)


def test_a_retry_after_a_killed_publish_replaces_its_orphans_under_the_same_names(
    statement_003, publisher
):
    # A publish killed after storing its files and before committing its record left these.
    folder = f"publications/{statement_003.inspection.public_id}/v1"
    orphans = [f"{folder}/pfcc-response-31007-v1.html", f"{folder}/pfcc-response-31007-v1.pdf"]
    for name in orphans:
        default_storage.save(name, ContentFile(b"half-written"))
    publication = publish_statement(response=statement_003, by=publisher)
    assert [publication.html_file.name, publication.pdf_file.name] == orphans
    assert_stored_as_recorded(publication)
    assert sorted(publishing.stored_names()) == orphans


def test_a_file_a_record_names_is_never_overwritten(published):
    with pytest.raises(PublishError, match="already a published file"):
        publishing._store(published.pdf_file.name, b"another", [])
    assert_stored_as_recorded(published)
