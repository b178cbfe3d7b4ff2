"""/healthz: each part reported, 200 only when all work, nothing secret shown, no sign-in."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from responses.models import JobRun
from tests.pfcc.test_unavailable import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminders_ran():
    return JobRun.objects.create(command="send_reminders", finished_at=timezone.now())


def health(client):
    page = client.get("/healthz")
    assert page["Content-Type"] == "application/json"
    assert "no-store" in page["Cache-Control"]
    return page.status_code, page.json()


def test_all_well_is_200_with_each_part(client, reminders_ran):
    status, body = health(client)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"] == {
        "database": {"ok": True},
        "migrations": {"ok": True, "unapplied": 0},
        "storage": {"ok": True},
        "reminders": {"ok": True, "last_run": reminders_ran.finished_at.isoformat()},
    }


def test_the_database_down_is_503_naming_the_parts_without_detail(client, reminders_ran):
    with database_down():
        status, body = health(client)
    assert status == 503 and body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["reminders"]["ok"] is False
    assert body["checks"]["storage"] == {"ok": True}
    assert "db.internal" not in str(body)


def test_storage_that_cannot_be_written_is_503(client, reminders_ran, monkeypatch):
    def full(name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full)
    status, body = health(client)
    assert status == 503 and body["checks"]["storage"] == {"ok": False, "error": "OSError"}


def test_the_probe_file_is_removed(client, reminders_ran, settings):
    health(client)
    assert list((settings.MEDIA_ROOT / "healthz").iterdir()) == []


def test_unapplied_migrations_are_503(client, reminders_ran):
    recorder = MigrationRecorder(connection)
    latest = MigrationLoader(connection).graph.leaf_nodes("responses")[0]
    recorder.record_unapplied(*latest)
    status, body = health(client)
    assert status == 503 and body["checks"]["migrations"] == {"ok": False, "unapplied": 1}


def test_reminders_never_run_or_not_lately_are_503(client):
    assert health(client)[1]["checks"]["reminders"] == {"ok": False, "last_run": None}
    JobRun.objects.create(
        command="send_reminders", finished_at=timezone.now() - datetime.timedelta(hours=3)
    )
    status, body = health(client)
    assert status == 503 and body["checks"]["reminders"]["ok"] is False


def test_a_reminders_run_marks_the_job_healthy(client):
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert health(client)[1]["checks"]["reminders"]["ok"] is True
