"""Synthetic data at any size, for benchmarks and the tests that compare pages across sizes.

`generate(count, seed=...)` adds `count` inspections, each with 5 to 15 findings, a response in
a state that fits its age, published versions with stored files, progress updates, revised
targets and history rows, in bulk: tens of thousands of inspections take minutes, not hours.
The same seed on the same day gives the same data. Report dates spread over twenty years, so
old reports are answered and their findings mostly done, and recent ones are in every state.

Every record is one the app could have made: the database's constraints and triggers check
it as they check the app's own (a history row's version follows the last one; a publication is
flagged latest only as the newest of its response). A sample of the publications has files of
its own, a small real PDF and its HTML statement; the others share one pair of stand-in
files; every hash is right, so the public pages serve them all.
"""

import copy
import datetime
import hashlib
import random
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from inspections import deadlines, services
from inspections.models import (
    DuePrecision,
    Finding,
    FindingKind,
    Grade,
    GradedArea,
    HmicfrsPosition,
    Inspection,
    InspectionType,
    OfficeSettings,
    ProgressUpdate,
    Service,
    TargetRevision,
    TrackingStatus,
)
from responses import public_cache, roles
from responses.models import FindingResponse, Publication, Response, Status
from responses.publishing import PUBLICATIONS_FOLDER, statement_facts

BATCH = 250
YEARS = 20
FIRST_NUMBER = 100_000
STAND_IN = f"{PUBLICATIONS_FOLDER}/generated/stand-in"

POLICE_TYPES = [
    InspectionType.PEEL,
    InspectionType.NATIONAL_THEMATIC,
    InspectionType.NATIONAL_THEMATIC,
    InspectionType.JOINT_THEMATIC,
    InspectionType.FORCE_SPECIFIC,
    InspectionType.COMMISSIONED,
    InspectionType.OTHER,
]
SUBJECTS = [
    "the police response to domestic abuse",
    "how well forces tackle serious and organised crime",
    "vetting, misconduct and misogyny",
    "custody services",
    "the criminal justice journey for victims of rape",
    "stop and search",
    "neighbourhood policing",
    "the police contribution to the Prevent programme",
    "digital forensics",
    "call handling and the response to the public",
    "child protection",
    "fraud and economic crime",
    "roads policing",
    "activism and impartiality in policing",
    "counter-terrorism policing",
    "the use of police powers in protests",
]
FIRE_SUBJECTS = [
    "effectiveness, efficiency and people",
    "the response to fires and other emergencies",
    "protection and fire safety",
    "culture and values",
    "prevention work",
]
ACTIONS = [
    "make sure that every decision is recorded and reviewed in line with national guidance",
    "improve how it identifies and supports vulnerable people",
    "review its training so that officers understand their powers",
    "make sure supervisors check the quality of investigations",
    "improve how it gathers and uses data on outcomes",
    "work with partners to share information promptly",
    "make sure it has enough trained staff to meet demand",
]
TEAMS = [
    "Public Protection Unit",
    "Professional Standards Department",
    "Learning and Development",
    "Crime Command",
    "Contact Centre",
    "Prevention and Protection",
]
GRADED_AREAS = [
    "Providing a service to victims",
    "Investigating crime",
    "Protecting vulnerable people",
    "Managing offenders",
    "Building, supporting and protecting the workforce",
]
ANSWER = (
    "The force has set up a working group led by a superintendent, which reports to my "
    "Executive Board every quarter. {action}."
)
COMMENTS = (
    "I welcome this report from His Majesty's Inspectorate of Constabulary and Fire and Rescue "
    "Services on {subject}. I will hold the chief officer to account for progress on each "
    "recommendation through my Executive Board, and publish updates on this site."
)
# Generated people: named here so a second run finds them, with no usable password.
PEOPLE = {
    "generated-drafter": [roles.DRAFTER],
    "generated-reviewer": [roles.REVIEWER],
    "generated-publisher": [roles.PUBLISHER],
    "generated-manager": [roles.REVIEWER, roles.PUBLISHER],
}


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing `title` and `lines` (Helvetica, no fonts embedded)."""

    def text(value: str) -> str:
        ascii_only = value.encode("ascii", "replace").decode()
        return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = [f"BT /F1 16 Tf 50 780 Td ({text(title[:80])}) Tj ET"]
    shown += [f"BT /F1 10 Tf 50 {750 - 14 * i} Td ({text(line[:100])}) Tj ET" for i, line in
              enumerate(lines[:50])]  # fmt: skip
    content = zlib.compress("\n".join(shown).encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def statement_html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><!-- statement --><h1>{title}</h1>{body}"
        "<!-- /statement --></body></html>"
    )


@dataclass
class StoredPair:
    html: str
    pdf: str
    html_sha256: str
    pdf_sha256: str
    pdf_size: int


def insert_history(model, rows: list) -> None:
    """What simple-history's bulk_history_create writes (a "+" row per object, with its
    `_history_date`, `_history_user` and `_change_reason`), as one prepared statement run for
    every row: the ORM's multi-row INSERT costs more to build than to run at this size."""
    history = model.history.model
    tracked = [history._meta.get_field(f.name) for f in history.tracked_fields]
    extra = [history._meta.get_field(name) for name in ("history_date", "history_type")]
    reason = history._meta.get_field("history_change_reason")
    user = history._meta.get_field("history_user")
    columns = [f.column for f in (*tracked, *extra, reason, user)]
    connection = connections[router.db_for_write(history)]
    ops = connection.ops
    sql = (
        f"INSERT INTO {ops.quote_name(history._meta.db_table)} "
        f"({', '.join(ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    values = [
        [
            *(f.get_db_prep_save(getattr(row, f.attname), connection) for f in tracked),
            extra[0].get_db_prep_save(row._history_date, connection),
            "+",
            row._change_reason,
            row._history_user.pk,
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk load, several times faster than INSERTs.
            names = ", ".join(ops.quote_name(c) for c in columns)
            with cursor.cursor.copy(
                f"COPY {ops.quote_name(history._meta.db_table)} ({names}) FROM STDIN"
            ) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)


@contextmanager
def dated_as_given(model):
    """Lets a bulk insert keep the `created_at` it is given, which auto_now_add would replace
    with now: generated records are made as of the days they stand for."""
    created_at = model._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        yield
    finally:
        created_at.auto_now_add = True


def _store(name: str, data: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def store_pair(folder: str, stem: str, title: str, paragraphs: list[str]) -> StoredPair:
    html = statement_html(title, paragraphs).encode()
    pdf = pdf_bytes(title, paragraphs)
    return StoredPair(
        html=_store(f"{folder}/{stem}.html", html),
        pdf=_store(f"{folder}/{stem}.pdf", pdf),
        html_sha256=hashlib.sha256(html).hexdigest(),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
    )


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time in office hours on `day`, UK time."""
    moment = datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60)))
    return timezone.make_aware(moment)


@dataclass
class Batch:
    """The rows of one batch of inspections, made in memory, then inserted model by model."""

    inspections: list[Inspection] = field(default_factory=list)
    findings: list[list[Finding]] = field(default_factory=list)
    plans: list[dict] = field(default_factory=list)


class Generator:
    def __init__(self, *, seed: int, today: datetime.date, files: int, stdout=None):
        self.today = today
        self.files_left = files
        self.stdout = stdout
        self.office = OfficeSettings.load()
        self.people = self._people()
        self.number = max(
            FIRST_NUMBER,
            (Inspection.objects.aggregate(n=Max("hmicfrs_number"))["n"] or 0) + 1,
        )
        # A second run with the same seed adds different inspections after the first's.
        self.rng = random.Random(f"{seed}:{self.number}")
        self.stand_in = store_pair(
            STAND_IN,
            "statement",
            "A generated statement",
            ["Generated for a benchmark: the same stand-in file serves many records."],
        )

    def _people(self) -> list[User]:
        if not Group.objects.filter(name=roles.DRAFTER).exists():
            from django.apps import apps

            roles.sync_roles(apps)
        people = []
        for username, role_names in PEOPLE.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": username.split("-")[1].capitalize(),
                    "last_name": "Generated",
                    "email": f"{username}@opfcc.example",
                },
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.set(Group.objects.filter(name__in=role_names))
            people.append(user)
        return people

    @property
    def drafter(self) -> User:
        return self.people[0]

    @property
    def reviewer(self) -> User:
        return self.people[1]

    @property
    def publisher(self) -> User:
        return self.people[2]

    def run(self, count: int) -> None:
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                self._insert(self._batch(size))
            made += size
            if self.stdout and (made % (BATCH * 20) == 0 or made == count):
                self.stdout.write(f"  {made} of {count} inspections")

    # --- making rows in memory ---------------------------------------------------------

    def _batch(self, size: int) -> Batch:
        batch = Batch()
        for _ in range(size):
            inspection = self._inspection()
            batch.inspections.append(inspection)
            batch.findings.append(self._findings(inspection))
            batch.plans.append(self._plan(inspection))
        return batch

    def _inspection(self) -> Inspection:
        rng = self.rng
        age = int(rng.random() ** 1.3 * YEARS * 365) + 1
        published_on = self.today - datetime.timedelta(days=age)
        fire = rng.random() < 0.2
        service = Service.FIRE if fire else Service.POLICE
        subject = rng.choice(FIRE_SUBJECTS if fire else SUBJECTS)
        kind = InspectionType.FIRE if fire else rng.choice(POLICE_TYPES)
        title = (
            f"Cumbria Fire and Rescue Service: {subject} ({published_on.year})"
            if fire
            else f"{InspectionType(kind).label}: {subject} ({published_on:%B %Y})"
        )
        self.number += 1
        inspection = Inspection(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            title=title,
            hmicfrs_number=self.number,
            published_on=published_on,
            inspection_type=kind,
            service=service,
            force_inspected=rng.random() < 0.8,
            key_findings=f"HMICFRS examined {subject}.\n\n- Leadership\n- Outcomes for the public",
            report_url=f"https://hmicfrs.justiceinspectorates.gov.uk/publications/{self.number}/",
        )
        inspection.deadline_on = inspection.deadline(self.office).last_day
        return inspection

    def _findings(self, inspection: Inspection) -> list[Finding]:
        rng = self.rng
        age_years = (self.today - inspection.published_on).days / 365
        findings = []
        for order in range(1, rng.randint(5, 15) + 1):
            roll = rng.random()
            kind = (
                FindingKind.CONCERN
                if roll < 0.05
                else FindingKind.RECOMMENDATION
                if roll < 0.55
                else FindingKind.AFI
            )
            action = rng.choice(ACTIONS)
            due, precision, phrase = None, DuePrecision.NONE, ""
            if kind == FindingKind.RECOMMENDATION:
                timing = rng.random()
                if timing < 0.5:
                    due = inspection.published_on + datetime.timedelta(days=rng.randint(90, 365))
                    precision, phrase = DuePrecision.DAY, f"By {due:%-d %B %Y}"
                elif timing < 0.7:
                    month = inspection.published_on + datetime.timedelta(days=rng.randint(60, 300))
                    due = deadlines.month_end(month.year, month.month)
                    precision, phrase = DuePrecision.MONTH, f"By {due:%B %Y}"
                elif timing < 0.85:
                    months = rng.choice([3, 6, 12])
                    due = deadlines.after_period(inspection.published_on, months=months)
                    precision, phrase = DuePrecision.RELATIVE, f"Within {months} months"
                elif timing < 0.9:
                    due, precision = inspection.published_on, DuePrecision.IMMEDIATE
                    phrase = "Immediately"
            applies = rng.random() > 0.04
            # HMICFRS closes some older findings itself, after the office has assured them.
            closed = applies and age_years > 2 and rng.random() < 0.2
            if not applies:
                status = TrackingStatus.NOT_APPLICABLE
            elif closed:
                status = TrackingStatus.COMPLETED
            elif age_years > 2:
                status = rng.choices(
                    [
                        TrackingStatus.COMPLETED,
                        TrackingStatus.IMPLEMENTED,
                        TrackingStatus.IN_PROGRESS,
                    ],
                    [88, 7, 5],
                )[0]
            else:
                status = rng.choice(TrackingStatus.outstanding() + [TrackingStatus.COMPLETED])
            label = {
                "recommendation": "Recommendation",
                "afi": "AFI",
                "concern": "Cause of concern",
            }
            findings.append(
                Finding(
                    inspection=inspection,
                    kind=kind,
                    reference=f"{label[kind]} {order}",
                    hmicfrs_number=rng.randint(10_000, 99_999) if rng.random() < 0.5 else None,
                    level=rng.choice([1, 2, 3]) if kind == FindingKind.AFI else None,
                    text=(
                        f"{phrase + ', ' if phrase else ''}"
                        f"{'chief constables' if kind == 'recommendation' else 'The force'} "
                        f"should {action}."
                    ),
                    addressee="chief constables" if kind == "recommendation" else "the force",
                    due_date=due,
                    due_precision=precision,
                    due_phrase=phrase,
                    applies=applies,
                    not_applicable_reason="" if applies else "Addressed to the Home Office only.",
                    order=order,
                    owner=rng.choice([*self.people, None]),
                    owner_team=rng.choice(TEAMS),
                    assured_status=status,
                    hmicfrs_position=HmicfrsPosition.CLOSED if closed else HmicfrsPosition.OPEN,
                    hmicfrs_closed_on=(
                        inspection.published_on + datetime.timedelta(days=rng.randint(400, 700))
                        if closed
                        else None
                    ),
                )
            )
        return findings

    def _plan(self, inspection: Inspection) -> dict:
        """Where the response stands: its status, its steps, and its published versions."""
        rng = self.rng
        age = (self.today - inspection.published_on).days
        if age > 90:
            state = rng.choices(["none", "published", "imported"], [2, 93, 5])[0]
        else:
            state = rng.choices(
                ["none", "draft", "changes_requested", "in_review", "approved", "published"],
                [20, 25, 10, 15, 10, 20 if age > 20 else 0],
            )[0]
        plan = {"state": state, "versions": []}
        if state in ("published", "imported"):
            late = rng.random() < 0.1
            days = rng.randint(56, 130) if late else rng.randint(15, 56)
            first = inspection.published_on + datetime.timedelta(days=days - 1)
            if state == "published" and first > self.today:
                first = self.today
            if state == "imported":
                plan["versions"] = [None]
                return plan
            versions = [first]
            for _ in range(rng.choices([0, 1, 2], [88, 9, 3])[0]):
                later = versions[-1] + datetime.timedelta(days=rng.randint(30, 400))
                if later <= self.today:
                    versions.append(later)
            plan["versions"] = versions
        return plan

    # --- inserting ---------------------------------------------------------------------

    def _insert(self, batch: Batch) -> None:
        rng = self.rng
        Inspection.objects.bulk_create(batch.inspections)
        self._history(Inspection, batch.inspections, lambda i: i.published_on, "Created")
        grades = [
            GradedArea(inspection=i, area=area, grade=rng.choice(Grade.values), order=n)
            for i in batch.inspections
            if i.inspection_type == InspectionType.PEEL
            for n, area in enumerate(GRADED_AREAS)
        ]
        GradedArea.objects.bulk_create(grades)
        # Each row holds its saved parent object, which bulk_create reads the key from (setting
        # the key by hand would drop the parent, and each later use would query for it).
        findings = [f for group in batch.findings for f in group]
        Finding.objects.bulk_create(findings)
        self._history(Finding, findings, lambda f: f.inspection.published_on, "Created")
        self._tracking(findings)
        self._responses(batch)

    def _history(self, model, rows, day, reason: str, user=None) -> None:
        for row in rows:
            row._history_date = _at(day(row), self.rng)
            row._history_user = user or self.drafter
            row._change_reason = reason
        insert_history(model, rows)

    def _tracking(self, findings: list[Finding]) -> None:
        rng = self.rng
        updates, revisions = [], []
        for finding in findings:
            if finding.assured_status in (TrackingStatus.OPEN, TrackingStatus.NOT_APPLICABLE):
                continue
            start = finding.inspection.published_on
            span = max((self.today - start).days, 1)
            for _ in range(rng.choice([0, 1, 1, 2])):
                update = ProgressUpdate(
                    finding=finding,
                    text=f"Progress reviewed by the {finding.owner_team}; {rng.choice(ACTIONS)}.",
                    created_by=rng.choice(self.people),
                )
                update.created_at = _at(start + datetime.timedelta(days=rng.randrange(span)), rng)
                updates.append(update)
            if finding.due_date and rng.random() < 0.03:
                revision = TargetRevision(
                    finding=finding,
                    revised_date=finding.due_date + datetime.timedelta(days=rng.randint(60, 180)),
                    reason="The national guidance it depends on was delayed.",
                    approved_by_name="Deputy Chief Constable",
                    created_by=self.drafter,
                )
                revision.created_at = _at(finding.due_date, rng)
                revisions.append(revision)
        updates.sort(key=lambda u: u.created_at)
        for model, rows in ((ProgressUpdate, updates), (TargetRevision, revisions)):
            with dated_as_given(model):
                model.objects.bulk_create(rows, batch_size=1000)
            self._history(model, rows, lambda r: timezone.localdate(r.created_at), "Recorded")

    def _responses(self, batch: Batch) -> None:
        rng = self.rng
        responses, steps, answers = [], [], []
        for inspection, findings, plan in zip(
            batch.inspections, batch.findings, batch.plans, strict=True
        ):
            state = plan["state"]
            if state == "none":
                continue
            imported = state == "imported"
            status = Status.PUBLISHED if plan["versions"] else Status(state)
            response = Response(
                inspection=inspection,
                status=status,
                owner=self.drafter,
                commissioner_comments=COMMENTS.format(subject=inspection.title),
                imported=imported,
                published_on=plan["versions"][0] if plan["versions"] else None,
            )
            if services.of(inspection).invites_chief_comments and not imported:
                response.chief_constable_requested_on = inspection.published_on
                response.chief_constable_due_on = inspection.published_on + datetime.timedelta(14)
                response.chief_constable_received_on = response.chief_constable_due_on
                response.chief_constable_comments = "The Constabulary welcomes the report."
            response.steps = self._steps(inspection, plan)
            response.versions = plan["versions"]
            response.version = len(response.steps)
            responses.append(response)
            if status != Status.DRAFT or rng.random() < 0.5:
                answers += [
                    FindingResponse(
                        response=response,
                        finding=f,
                        text=ANSWER.format(action=f.text.rsplit("should ", 1)[-1].capitalize()),
                    )
                    for f in findings
                    if f.applies
                ]
        Response.objects.bulk_create(responses)
        for response in responses:
            published_on = None
            for number, (status, day, reason) in enumerate(response.steps, start=1):
                # The date the duty was met stays from the first publication on.
                if status == Status.PUBLISHED:
                    published_on = response.published_on
                step = copy.copy(response)
                step.status, step.version, step.published_on = status, number, published_on
                step._history_date, step._change_reason = _at(day, rng), reason
                step._history_user = self.reviewer if "pprov" in reason else self.drafter
                steps.append(step)
        insert_history(Response, steps)
        FindingResponse.objects.bulk_create(answers, batch_size=1000)
        self._history(
            FindingResponse,
            answers,
            lambda a: a.response.inspection.published_on + datetime.timedelta(days=5),
            "Drafted",
        )
        self._publications(responses, batch)

    def _steps(self, inspection: Inspection, plan: dict) -> list[tuple[str, datetime.date, str]]:
        """The response's versions: (status, day, reason), oldest first."""
        start = inspection.published_on + datetime.timedelta(days=1)
        state = plan["state"]
        if state == "imported":
            return [(Status.PUBLISHED, start, "Imported from statement generated.txt")]
        steps = [(Status.DRAFT, start, "Started")]
        walk = {
            "draft": [],
            "in_review": [(Status.IN_REVIEW, "Submitted for review")],
            "changes_requested": [
                (Status.IN_REVIEW, "Submitted for review"),
                (Status.CHANGES_REQUESTED, "Changes requested: say when the board reviews it"),
            ],
            "approved": [(Status.IN_REVIEW, "Submitted for review"), (Status.APPROVED, "Approved")],
        }
        if state in walk:
            return steps + [(status, start, reason) for status, reason in walk[state]]
        for number, day in enumerate(plan["versions"], start=1):
            if number > 1:
                steps.append((Status.DRAFT, day, "Amendment started"))
            steps += [
                (Status.IN_REVIEW, day, "Submitted for review"),
                (Status.APPROVED, day, "Approved"),
                (Status.PUBLISHED, day, f"Published version {number}"),
            ]
        return steps

    def _publications(self, responses: list[Response], batch: Batch) -> None:
        rng = self.rng
        findings_of = {
            i.pk: group for i, group in zip(batch.inspections, batch.findings, strict=True)
        }
        publications = []
        for response in responses:
            inspection = response.inspection
            plan_versions = response.versions
            deadline = inspection.deadline(self.office)
            for number, day in enumerate(plan_versions, start=1):
                texts = [response.commissioner_comments] + [
                    f"{f.reference}: {f.text} Response: {ANSWER.format(action='Work goes on')}"
                    for f in findings_of[inspection.pk]
                ]
                publication = Publication(
                    response=response,
                    version=number,
                    imported=response.imported,
                    published_at=None if response.imported else _at(day, rng),
                    published_on=day,
                    published_by=None if response.imported else self.publisher,
                    amendment_note="" if number == 1 else "Corrected the dates in the plan.",
                    search_text=" ".join(texts),
                    is_latest=number == len(plan_versions),
                    **statement_facts(response, self.office),
                )
                self._time(publication, response, deadline)
                self._onward(publication, rng)
                self._files(publication, inspection, texts)
                publications.append(publication)
        Publication.objects.bulk_create(publications, batch_size=500)
        self._history(
            Publication,
            publications,
            lambda p: p.published_on or p.report_published_on,
            "Published",
            user=self.publisher,
        )

    def _time(self, publication: Publication, response: Response, deadline) -> None:
        """Days taken and lateness, as publishing.publish_statement records them."""
        first = response.published_on
        report = publication.report_published_on
        if publication.published_on is None:
            publication.late = None
            return
        publication.days_taken = deadlines.day_number(report, first)
        if publication.version == 1:
            late = deadline.last_day is not None and first > deadline.last_day
            publication.late = late
            if late:
                publication.days_late = (first - deadline.last_day).days
                publication.late_reason = "The chief constable's comments came late."

    def _onward(self, publication: Publication, rng: random.Random) -> None:
        if publication.imported or not services.of(publication).onward_copies:
            return
        if (self.today - publication.published_on).days > 30 or rng.random() < 0.5:
            sent = min(publication.published_on + datetime.timedelta(days=2), self.today)
            publication.sent_to_hmicfrs_on = publication.sent_to_home_secretary_on = sent
            publication.sent_to_hmicfrs_by = publication.sent_to_home_secretary_by = self.publisher

    def _files(self, publication: Publication, inspection: Inspection, texts: list[str]) -> None:
        if self.files_left > 0:
            self.files_left -= 1
            folder = f"{PUBLICATIONS_FOLDER}/{inspection.public_id}/v{publication.version}"
            stored = store_pair(folder, publication.filename_stem, publication.title, texts)
        else:
            stored = self.stand_in
        publication.html_file.name, publication.pdf_file.name = stored.html, stored.pdf
        publication.html_sha256, publication.pdf_sha256 = stored.html_sha256, stored.pdf_sha256
        publication.pdf_size = stored.pdf_size


def generate(count: int, *, seed: int = 1, files: int = 200, stdout=None) -> None:
    """Adds `count` inspections and all that hangs on them; `files` publications (the first
    made) get files of their own."""
    Generator(seed=seed, today=deadlines.today(), files=files, stdout=stdout).run(count)
    public_cache.invalidate()
