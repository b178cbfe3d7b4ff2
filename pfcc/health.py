"""/healthz for monitoring: is the database reachable and migrated, can files be stored, and
did the reminders job run lately? JSON, 200 when all is well and 503 when not, open to any
caller: it says which part failed, never why in detail (that goes to the log)."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from responses.models import JobRun

logger = logging.getLogger(__name__)


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def migrations() -> dict:
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {"ok": not unapplied, "unapplied": len(unapplied)}


def storage() -> dict:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as stored:
            readable = stored.read() == b"ok"
    finally:
        default_storage.delete(name)
    return {"ok": readable}


def reminders() -> dict:
    run = JobRun.objects.filter(command="send_reminders").first()
    if run is None:
        return {"ok": False, "last_run": None}
    age = timezone.now() - run.finished_at
    limit = datetime.timedelta(minutes=settings.REMINDERS_MAX_AGE_MINUTES)
    return {"ok": age <= limit, "last_run": run.finished_at.isoformat()}


CHECKS = {
    "database": database,
    "migrations": migrations,
    "storage": storage,
    "reminders": reminders,
}


def run_check(name: str) -> dict:
    try:
        return CHECKS[name]()
    except Exception as error:  # Whatever went wrong, the part is not working.
        logger.error("Health check %s failed: %r", name, error)
        return {"ok": False, "error": type(error).__name__}


@never_cache
@require_GET
def healthz(request):
    checks = {name: run_check(name) for name in CHECKS}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks},
        status=200 if healthy else 503,
    )
