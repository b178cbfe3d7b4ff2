"""One archive holding the whole installation, and its restoration into an empty one.

The archive (a gzipped tar) holds every row of every table, history included, and every
stored file (published statements and progress evidence) byte for byte:

    manifest.json                 format, when, the migrations applied, rows per model,
                                  and each file's SHA-256 and size
    data/<app_label.Model>.jsonl  the model's rows in Django's serialised form, one per
                                  line, datetimes to the microsecond
    files/<name in storage>       each stored file

It holds rows, not SQL, so a backup taken from SQLite restores into PostgreSQL and the other
way round (django-dbbackup's dumps are per database engine; hence this instead). Sessions
are left out: they expire anyway. The archive holds password hashes and calendar-feed
secrets: keep it as securely as the database itself.

A restore refuses an installation that holds any data, and one whose migrations differ from
the backup's; it loads every row as it was (primary keys included), writes every file, and
checks each file's SHA-256 against the archive and each publication's recorded digests.
If anything fails, nothing is left behind.
"""

import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from responses.models import Publication

FORMAT = "pfcc-backup"
FORMAT_VERSION = 1
LEFT_OUT = {"sessions.Session"}
# Rows that `migrate` itself makes (content types, permissions, the role groups): a restore
# replaces them with the backup's, so that every key matches the archive.
MADE_BY_MIGRATE = (ContentType, Permission, Group, Group.permissions.through)


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; a legal record keeps its microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    """Each row as it is in its own table: many-to-many links are rows of their own tables
    (backed up like any other, keys and all), not lists on the objects they join."""

    def handle_m2m_field(self, obj, field):
        pass


def backed_up_models() -> list[type[models.Model]]:
    """Every table's model, the many-to-many link tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in LEFT_OUT
    ]


def _file_fields(model) -> list[str]:
    # History rows keep file names in text columns of the same names.
    tracked = getattr(model, "instance_type", model)
    return [f.attname for f in tracked._meta.concrete_fields if isinstance(f, models.FileField)]


def stored_file_names() -> set[str]:
    """Every file name any row refers to, history rows included."""
    names = set()
    for model in backed_up_models():
        for field in _file_fields(model):
            names.update(model._base_manager.exclude(**{field: ""}).values_list(field, flat=True))
    names.discard(None)
    return names


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def _rows(model) -> bytes:
    stream = io.StringIO()
    rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
    Serializer().serialize(rows, stream=stream, cls=ExactJSONEncoder)
    return stream.getvalue().encode()


def backup(path: Path) -> dict:
    """Writes the archive to `path` (via a temporary name, so a failure leaves no archive
    that looks whole) and returns its manifest."""
    partial = path.with_name(path.name + ".partial")
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": applied_migrations(),
        "models": {},
        "files": {},
    }
    # One transaction: every table read as of one moment (REPEATABLE READ on PostgreSQL,
    # set when this is the transaction's start, as it is when run as a command).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), tarfile.open(partial, "w:gz") as archive:
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backed_up_models():
            label = model._meta.label
            manifest["models"][label] = model._base_manager.count()
            _add(archive, f"data/{label}.jsonl", _rows(model))
        for name in sorted(stored_file_names()):
            try:
                with default_storage.open(name) as stored:
                    data = stored.read()
            except OSError as error:
                raise BackupError(f"Stored file {name} could not be read: {error}") from error
            manifest["files"][name] = {"sha256": _sha256(data), "size": len(data)}
            _add(archive, f"files/{name}", data)
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    os.replace(partial, path)
    return manifest


# --- restore ----------------------------------------------------------------------------


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"This is not a backup archive: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("This archive is not in a format this version can restore.")
    return manifest


def _refuse_unless_empty_and_matching(manifest: dict) -> None:
    if manifest["migrations"] != applied_migrations():
        raise BackupError(
            "The database's migrations differ from the backup's. Restore into a new database "
            "with the version of the tracker that made the backup (create the database, run "
            "`manage.py migrate`, then restore), and upgrade afterwards."
        )
    held = {
        model._meta.label: count
        for model in backed_up_models()
        if model not in MADE_BY_MIGRATE and (count := model._base_manager.count())
    }
    if held:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(held.items()))
        raise BackupError(f"This installation is not empty, so nothing was restored: {listed}.")
    present = [name for name in manifest["files"] if default_storage.exists(name)]
    if present:
        raise BackupError(
            f"The file storage already holds {len(present)} of the backup's files "
            f"(for example {present[0]}), so nothing was restored."
        )


def _load_rows(folder: Path, manifest: dict) -> None:
    for model in reversed(MADE_BY_MIGRATE):
        model._base_manager.all().delete()
    for model in backed_up_models():
        label = model._meta.label
        with open(folder / "data" / f"{label}.jsonl", encoding="utf-8") as rows:
            loaded = _insert(jsonl.Deserializer(rows))
        if loaded != manifest["models"][label]:
            raise BackupError(
                f"{label}: {loaded} rows restored, the backup says {manifest['models'][label]}."
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), backed_up_models()):
                cursor.execute(sql)
    ContentType.objects.clear_cache()


def _insert(rows: Iterable) -> int:
    """Inserts rows as they were (raw: no save() of ours, no auto dates, no new history)."""
    count = 0
    for row in rows:
        row.save(force_insert=True)
        count += 1
    return count


def _write_files(folder: Path, manifest: dict, written: list[str]) -> None:
    for name, expected in manifest["files"].items():
        data = (folder / "files" / name).read_bytes()
        if _sha256(data) != expected["sha256"]:
            raise BackupError(f"{name} in the archive does not match its SHA-256: damaged.")
        saved = default_storage.save(name, ContentFile(data))
        written.append(saved)
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}: the storage is not empty.")
        with default_storage.open(name) as stored:
            if _sha256(stored.read()) != expected["sha256"]:
                raise BackupError(f"{name} does not read back as written.")


def _check_publications(manifest: dict) -> None:
    """Every published file is the one its record's digest names: the legal record holds."""
    files = manifest["files"]
    for publication in Publication.objects.all():
        for field, digest in (("html_file", "html_sha256"), ("pdf_file", "pdf_sha256")):
            name = getattr(publication, field).name
            if files.get(name, {}).get("sha256") != getattr(publication, digest):
                raise BackupError(f"{publication}: {name} does not match its recorded digest.")


def restore(path: Path) -> dict:
    """Rebuilds this (empty, migrated) installation from the archive at `path`."""
    written: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(folder, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"The archive could not be read: {error}") from error
        manifest = _read_manifest(folder)
        try:
            with transaction.atomic():
                _refuse_unless_empty_and_matching(manifest)
                _load_rows(folder, manifest)
                _write_files(folder, manifest, written)
                _check_publications(manifest)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return manifest
