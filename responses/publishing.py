"""Publishing a statement: render it once, store the files and record them for good.

Rendering, storing and recording happen together: if any step fails, nothing is published
and no stored file is left behind. Once a publication is committed, the cached public pages
start afresh (responses.public_cache).
"""

import datetime
import hashlib
import io
import logging
import os
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from inspections import deadlines, services
from inspections.models import OfficeSettings
from inspections.pdf import RenderError
from inspections.richtext import strip_markup
from responses import public_cache, readiness
from responses.models import ONWARD_RECIPIENTS, Publication, Response, Status
from responses.rendering import render_statement_html, render_statement_pdf

PUBLICATIONS_FOLDER = "publications"
logger = logging.getLogger(__name__)


class PublishError(Exception):
    """Publishing was refused or failed; the message tells the user why, and `field` names the
    form field it is about, if one."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lateness(response: Response, office: OfficeSettings, on) -> tuple[bool, int | None]:
    inspection = response.inspection
    status = deadlines.clock_status(
        inspection.deadline(office),
        report_published_on=inspection.published_on,
        on=on,
        response_published_on=on,
    )
    late = status.state == deadlines.ClockState.LATE
    return late, status.days if late else None


def is_late_if_published_today(response: Response) -> bool:
    """Whether a first publication today would be late (and so needs a reason)."""
    if response.publications.exists():
        return False
    return _lateness(response, OfficeSettings.load(), deadlines.today())[0]


def _render(response: Response, publication: Publication) -> tuple[str, bytes]:
    try:
        html = render_statement_html(response, draft=False, publication=publication)
        return html, render_statement_pdf(html)
    except RenderError as error:
        raise PublishError(
            f"The statement could not be rendered, so nothing was published: {error}"
        ) from error
    except DatabaseError:
        raise
    except Exception as error:  # A fault in the renderer: the publisher can only try again.
        logger.exception("Rendering %s failed", publication)
        raise PublishError(
            "The statement could not be rendered, so nothing was published. The error has been "
            "logged for the support team; try again later."
        ) from error


def _named_by_a_record(name: str) -> bool:
    return Publication.objects.filter(Q(html_file=name) | Q(pdf_file=name)).exists()


def _store(name: str, data: bytes, stored: list[str]) -> str:
    """Stores `data` at exactly `name`, the version's own name.

    A file already there that no record names is an orphan of a publish that died after
    storing its files and before committing its record: the retry replaces it rather than
    storing a suffixed name beside it. A file a record names is never touched.
    """
    try:
        if default_storage.exists(name):
            if _named_by_a_record(name):
                raise PublishError(f"{name} is already a published file, so nothing was published.")
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
    except PublishError:
        raise
    except Exception as error:  # Full disk, lost mount, storage service down: all the same here.
        logger.exception("Storing %s failed", name)
        raise PublishError(
            "The statement's files could not be stored, so nothing was published. The error "
            "has been logged for the support team; try again later."
        ) from error
    stored.append(saved)
    if saved != name:
        raise PublishError(f"{name} was stored as {saved}, so nothing was published.")
    return saved


def folder_of(publication: Publication) -> str:
    """Where a version's files are stored: one folder per version, names fixed by it."""
    public_id = publication.response.inspection.public_id
    return f"{PUBLICATIONS_FOLDER}/{public_id}/v{publication.version}"


@contextmanager
def _files_for(publication: Publication, html: str, pdf: bytes):
    """Stores the rendered files on `publication`; deletes them if the block then fails.

    The block saves the records: files without a record would be published by nobody.
    """
    folder = folder_of(publication)
    stored: list[str] = []
    try:
        html_bytes = html.encode()
        publication.html_file.name = _store(
            f"{folder}/{publication.filename_stem}.html", html_bytes, stored
        )
        publication.pdf_file.name = _store(f"{folder}/{publication.filename_stem}.pdf", pdf, stored)
        publication.html_sha256, publication.pdf_sha256 = _sha256(html_bytes), _sha256(pdf)
        publication.pdf_size = len(pdf)
        publication.search_text = strip_markup(html)
        yield publication
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def statement_facts(response: Response, office: OfficeSettings) -> dict:
    """What a publication copies from the inspection, as it is when published."""
    inspection = response.inspection
    return {
        "title": inspection.title,
        "hmicfrs_number": inspection.hmicfrs_number,
        "inspection_type": inspection.inspection_type,
        "service": inspection.service,
        "report_published_on": inspection.published_on,
        "deadline_last_day": inspection.deadline(office).last_day,
    }


def _not_approved(response: Response, latest: Publication | None) -> str:
    if response.status == Status.PUBLISHED and latest and latest.published_by:
        # Most often the losing side of two publishers pressing the button at once.
        who = latest.published_by.get_full_name() or latest.published_by.get_username()
        when = timezone.localtime(latest.published_at)
        return (
            f"{who} published version {latest.version} at {when:%H:%M} on {when:%-d %B %Y}, "
            "so nothing more was published. Check that version; to change it, start an "
            "amendment."
        )
    return (
        f"Only an approved response can be published; this one is "
        f"{response.get_status_display().lower()}."
    )


@transaction.atomic
def publish_statement(
    *,
    response: Response,
    by: AbstractBaseUser,
    amendment_note: str = "",
    late_reason: str = "",
    at: datetime.datetime | None = None,
) -> Publication:
    """Publishes the approved `response` as its next version and returns the new record.

    `at` backdates the record, only for the demo data; the app itself always publishes now.
    """
    response = Response.objects.select_for_update().select_related("inspection").get(pk=response.pk)
    if not by.has_perm("responses.publish_response"):
        raise PublishError("Only a Publisher can publish a response.")
    previous = response.publications.order_by("-version").first()
    if response.status != Status.APPROVED:
        raise PublishError(_not_approved(response, previous))
    # Re-checked now: a status set around the workflow must not publish what review never passed.
    if problems := readiness.publication_problems(response):
        raise PublishError(f"This response cannot be published: {'; '.join(problems)}.")
    version = previous.version + 1 if previous else 1
    amendment_note, late_reason = amendment_note.strip(), late_reason.strip()
    if previous and not amendment_note:
        raise PublishError(f"Say what changed since version {previous.version}.")

    office = OfficeSettings.load()
    inspection = response.inspection
    published_at = at or timezone.now()
    published_on = timezone.localdate(published_at)
    # Lateness is about the statutory duty, met (or not) by the first publication.
    late, days_late = (False, None) if previous else _lateness(response, office, published_on)
    if late and not late_reason:
        raise PublishError(
            f"This response is {days_late} day{'s' if days_late != 1 else ''} late: "
            "give the reason for publishing late."
        )
    # An imported first version may have no recorded date: then there is nothing to count from.
    first_published_on = previous.published_on if previous else published_on
    publication = Publication(
        response=response,
        version=version,
        published_at=published_at,
        published_on=published_on,
        published_by=by,
        amendment_note=amendment_note,
        late=late,
        days_late=days_late,
        late_reason=late_reason if late else "",
        days_taken=deadlines.day_number(inspection.published_on, first_published_on)
        if first_published_on
        else None,
        **statement_facts(response, office),
    )
    html, pdf = _render(response, publication)
    with _files_for(publication, html, pdf):
        publication.save()
        Publication.objects.mark_latest(response.pk)
        publication.is_latest = True
        response.status = Status.PUBLISHED
        if previous is None:
            # The date the duty was met; an amendment (even to an undated import) is not it.
            response.published_on = response.published_on or published_on
        response.version += 1
        response._change_reason = f"Published version {version}"
        response._history_user = by
        response.save()
    transaction.on_commit(public_cache.invalidate)
    return publication


@transaction.atomic
def record_imported_statement(*, response: Response, source_name: str) -> Publication:
    """Records an imported statement as published version 1, rendered from the imported records.

    The office published it before the tracker existed: nobody here published it, and its date
    is the response's if the person importing gave one, otherwise not recorded, in which case
    no days taken or lateness are recorded either. Raises PublishError, storing nothing, if the
    statement cannot be rendered.
    """
    response = Response.objects.select_for_update().select_related("inspection").get(pk=response.pk)
    if not (response.imported and response.status == Status.PUBLISHED):
        raise PublishError("Only an imported, published response is recorded as imported.")
    if response.publications.exists():
        raise PublishError(f"{response} already has a published version.")
    office = OfficeSettings.load()
    inspection = response.inspection
    published_on = response.published_on
    late, days_late = (None, None)
    if published_on:
        late, days_late = _lateness(response, office, published_on)
    publication = Publication(
        response=response,
        version=1,
        imported=True,
        published_on=published_on,
        late=late,
        days_late=days_late,
        # The statement does not say why; the record must not pretend to know.
        late_reason="Not recorded: published before the response tracker." if late else "",
        days_taken=deadlines.day_number(inspection.published_on, published_on)
        if published_on
        else None,
        **statement_facts(response, office),
    )
    publication._change_reason = f"Imported from statement {source_name}"
    html, pdf = _render(response, publication)
    with _files_for(publication, html, pdf):
        publication.save()
        Publication.objects.mark_latest(response.pk)
        publication.is_latest = True
    transaction.on_commit(public_cache.invalidate)
    return publication


def onward_copy_label(recipient: str) -> str:
    return f"Date sent to {ONWARD_RECIPIENTS[recipient]}"


@transaction.atomic
def record_onward_copy(
    *, publication: Publication, recipient: str, sent_on: datetime.date, by: AbstractBaseUser
) -> Publication:
    """Records that the published statement was sent to HMICFRS or the Home Secretary (s.55(6))."""
    if not by.has_perm("responses.publish_response"):
        raise PublishError("Only a Publisher can record onward copies.")
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if not services.of(publication).onward_copies:
        raise PublishError(
            "Copies to HMICFRS and the Home Secretary (Police Act 1996 s.55(6)) are recorded "
            "for police reports only."
        )
    name = ONWARD_RECIPIENTS[recipient]
    if getattr(publication, f"sent_to_{recipient}_on") is not None:
        raise PublishError(f"The copy sent to {name} is already recorded.")
    # An imported statement's date may be unknown: it was published after its report.
    earliest, what = (
        (publication.published_on, "the date the response was published")
        if publication.published_on
        else (publication.report_published_on, "the date the report was published")
    )
    label = onward_copy_label(recipient)
    if problem := deadlines.not_after_today(sent_on, label=label) or deadlines.not_before(
        sent_on, earliest, label=label, what=what
    ):
        raise PublishError(problem, field="sent_on")
    setattr(publication, f"sent_to_{recipient}_on", sent_on)
    setattr(publication, f"sent_to_{recipient}_by", by)
    publication.save()
    return publication


# --- the stored files, as published ---------------------------------------------------

STORED_FILES = {"pdf": ("pdf_file", "pdf_sha256"), "html": ("html_file", "html_sha256")}


class StoredFileProblem(Exception):
    """A published file is missing or no longer what was published: never serve it."""

    def __init__(self, publication: Publication, kind: str, problem: str):
        self.publication, self.kind, self.problem = publication, kind, problem
        super().__init__(
            f"The {kind.upper()} of version {publication.version} of “{publication.title}” "
            f"({getattr(publication, STORED_FILES[kind][0]).name}) {problem}"
        )


# The stored files this process has checked, by name and recorded hash: the file's identity
# (size, modification time, inode) when its bytes were last found to match.
_checked: dict[tuple[str, str], tuple[int, int, int]] = {}
CHECKED_LIMIT = 20_000


def _identity(handle) -> tuple[int, int, int] | None:
    try:
        stat = os.fstat(handle.fileno())
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None  # Not a local file: checked every time.
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def open_checked(name: str, sha256: str):
    """The stored file `name`, open, if this process found it to hash to `sha256` and it is
    the same file still; otherwise None (open_stored then checks it)."""
    try:
        handle = default_storage.open(name)
    except OSError:
        return None
    identity = _identity(handle)
    if identity is None or _checked.get((name, sha256)) != identity:
        handle.close()
        return None
    return handle


def open_stored(publication: Publication, kind: str):
    """The stored `kind` ("pdf" or "html") file of `publication`, open at its start and checked
    against the SHA-256 recorded when it was published. Raises StoredFileProblem if it is
    missing or altered.

    Its bytes are read and hashed the first time this process opens it, and again whenever
    the file is no longer the same one (a restore, a replacement, any write changes its size,
    time or inode); in between, serving it costs a stat of the open file, as a static file's
    would. `manage.py verify_publications` reads every byte of every file from cron.
    """
    field, digest = STORED_FILES[kind]
    name, expected = getattr(publication, field).name, getattr(publication, digest)
    if (handle := open_checked(name, expected)) is not None:
        return handle
    try:
        handle = default_storage.open(name)
    except OSError:
        raise StoredFileProblem(publication, kind, "is missing") from None
    identity = _identity(handle)
    sha256 = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        sha256.update(chunk)
    if sha256.hexdigest() != expected:
        handle.close()
        raise StoredFileProblem(publication, kind, "does not match the SHA-256 recorded for it")
    if len(_checked) >= CHECKED_LIMIT:
        _checked.clear()
    if identity is not None:
        _checked[(name, expected)] = identity
    handle.seek(0)
    return handle


def read_stored(publication: Publication, kind: str) -> bytes:
    """The whole stored file, checked as open_stored checks it."""
    with open_stored(publication, kind) as handle:
        return handle.read()


def alert(problem: StoredFileProblem) -> None:
    """Logs a stored file that cannot be served, for whoever watches the logs to restore it."""
    logger.critical("Published file not served: %s. Restore it from the backup.", problem)


def stored_names(folder: str = PUBLICATIONS_FOLDER) -> set[str]:
    """The name of every file stored under `folder`, at any depth."""
    if not default_storage.exists(folder):
        return set()
    folders, files = default_storage.listdir(folder)
    names = {f"{folder}/{name}" for name in files}
    for sub in folders:
        names |= stored_names(f"{folder}/{sub}")
    return names
