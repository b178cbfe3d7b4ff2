"""backup and restore: every row to the microsecond and every file byte for byte, round trip
on whichever database the suite runs on (SQLite and PostgreSQL in CI)."""

import datetime
import hashlib
import io
import shutil
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from inspections import tracking
from responses import backup, workflow
from responses.models import Publication
from responses.publishing import publish_statement
from tests.responses.conftest import make_statement_003


def snapshot() -> dict:
    """Every row of every backed-up table, as the database gives it back."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in backup.backed_up_models()
    }


def stored_files(media) -> dict:
    return {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


def fill(publisher, drafter, reviewer):
    """A published statement, its history and review, progress evidence, an email record."""
    statement = make_statement_003()
    publish_statement(response=statement, by=publisher, late_reason="Awaiting the force.")
    workflow.amend(response=statement, actor=drafter)
    workflow.add_comment(response=statement, actor=reviewer, text="Check Rec 04.")
    finding = statement.inspection.findings.first()
    evidence = SimpleUploadedFile("minutes.pdf", b"%PDF-1.7 minutes of the board")
    tracking.add_progress(
        finding=finding, text="Board agreed the plan.", evidence=evidence, by=drafter
    )
    workflow.submit(response=statement, actor=drafter)


def empty_installation(media) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_to_the_microsecond_and_every_file(
    tmp_path, settings, publisher, drafter, reviewer
):
    fill(publisher, drafter, reviewer)
    before, files = snapshot(), stored_files(settings.MEDIA_ROOT)
    times = [
        value
        for rows in before.values()
        for row in rows
        for value in row.values()
        if isinstance(value, datetime.datetime)
    ]
    # Milliseconds would lose these: the test proves the microseconds come back.
    assert any(value.microsecond % 1000 for value in times)
    assert before["responses.HistoricalResponse"] and before["auth.User_groups"]
    assert any(name.startswith("evidence/") for name in files)
    assert sum(name.startswith("publications/") for name in files) == 2

    archive = tmp_path / "pfcc.tar.gz"
    call_command("backup", archive, stdout=open("/dev/null", "w"))
    empty_installation(settings.MEDIA_ROOT)
    assert not Publication.objects.exists()
    call_command("restore", archive, stdout=open("/dev/null", "w"))

    after = snapshot()
    for label in before:
        for old, new in zip(before[label], after[label], strict=True):
            assert old == new, (label, {k: (v, new[k]) for k, v in old.items() if new[k] != v})
    assert stored_files(settings.MEDIA_ROOT) == files
    # The restored installation works on: new rows get new keys, history goes on.
    statement = Publication.objects.get().response
    comment = workflow.add_comment(response=statement, actor=reviewer, text="After restore.")
    assert comment.pk > max(row["id"] for row in before["responses.Comment"])


@pytest.mark.django_db(transaction=True)
def test_a_damaged_file_in_the_archive_restores_nothing(tmp_path, settings, publisher):
    publish_statement(response=make_statement_003(), by=publisher, late_reason="Awaiting.")
    archive = tmp_path / "pfcc.tar.gz"
    backup.backup(archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith(".pdf"):
                data = data.replace(b"%PDF", b"%PDX", 1)
            target.addfile(member, fileobj=io.BytesIO(data))
    empty_installation(settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", damaged)
    assert not Publication.objects.exists()
    assert not settings.MEDIA_ROOT.exists() or stored_files(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db
def test_restore_refuses_an_installation_that_holds_data(tmp_path, drafter):
    archive = tmp_path / "pfcc.tar.gz"
    backup.backup(archive)
    with pytest.raises(CommandError, match=r"not empty, so nothing was restored: auth.User \(1\)"):
        call_command("restore", archive)


@pytest.mark.django_db
def test_restore_refuses_a_backup_from_other_migrations(tmp_path):
    archive = tmp_path / "pfcc.tar.gz"
    backup.backup(archive)
    MigrationRecorder(connection).record_applied("responses", "9999_from_the_future")
    with pytest.raises(CommandError, match="migrations differ"):
        call_command("restore", archive)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_bytes(b"just text")
    with pytest.raises(CommandError, match="could not be read"):
        call_command("restore", not_an_archive)


def test_datetimes_keep_their_microseconds_in_the_archive():
    moment = datetime.datetime(2026, 3, 2, 9, 15, 30, 123456, tzinfo=datetime.UTC)
    assert backup.ExactJSONEncoder().encode(moment) == '"2026-03-02T09:15:30.123456+00:00"'
