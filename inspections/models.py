import datetime
import itertools
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from inspections import deadlines, services
from inspections.richtext import PlainTextField, RichTextField
from inspections.services import Service

DEFAULT_STATUTORY_PARAGRAPH = (
    "Section 33 of the Police Act 1996 (as amended by section 37 of the Policing and Crime Act "
    "2017) requires local policing bodies to respond to recommendations in inspectors reports "
    "within 56 days."
)


def validate_reminder_offsets(value: str) -> None:
    try:
        deadlines.parse_reminder_offsets(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def field_label(obj: models.Model, name: str) -> str:
    """A field's name as its form labels it, for a message about it."""
    return capfirst(obj._meta.get_field(name).verbose_name)


def raise_problems(problems: dict[str, str | None]) -> None:
    """Raises what clean() found, each message on its field; nothing if nothing was found."""
    if found := {name: message for name, message in problems.items() if message}:
        raise ValidationError(found)


class OfficeSettings(models.Model):
    """The office's own details and policies: a single row, edited in the admin."""

    office_name = models.CharField(
        max_length=200, default="Cumbria Office of the Police, Fire and Crime Commissioner"
    )
    commissioner_title = models.CharField(
        max_length=200, default="Cumbria Police, Fire and Crime Commissioner (PFCC)"
    )
    force_name = models.CharField(max_length=200, default="Cumbria Constabulary")
    fire_service_name = models.CharField(max_length=200, default="Cumbria Fire and Rescue Service")
    statutory_paragraph = models.TextField(max_length=2000, default=DEFAULT_STATUTORY_PARAGRAPH)
    fire_target_days = models.PositiveSmallIntegerField(
        "local response target for fire reports (days)",
        null=True,
        blank=True,
        default=56,
        help_text="Counted like the police duty: the day of publication is day 1. "
        "Leave empty for no target.",
    )
    separation_of_duties = models.BooleanField(
        default=True,
        help_text="Nobody may approve a response they edited since it was last submitted.",
    )
    reminder_offsets = models.CharField(
        max_length=100,
        default="28,14,7,1",
        help_text="Days before a deadline to remind its owner, separated by commas.",
        validators=[validate_reminder_offsets],
    )
    # Inviting the chief officer's comments (Police Act 1996 s.55(4)): the date they are asked
    # for by is always before the response's last day (inspections.deadlines.comments_window).
    comments_default_days = models.PositiveSmallIntegerField(
        "days the force is given to comment, by default",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="The date suggested when inviting the chief officer's comments, counted "
        "from the day the invitation is sent.",
    )
    comments_min_days = models.PositiveSmallIntegerField(
        "fewest days the force may be given to comment",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Unless the response's last day comes sooner.",
    )
    comments_office_days = models.PositiveSmallIntegerField(
        "days the office needs after the comments arrive",
        default=14,
        validators=[MaxValueValidator(365)],
        help_text="A date that leaves the office fewer days before the response's last day "
        "is sent only when the drafter confirms it.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "office settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="office_settings_single_row")]

    def __str__(self):
        return self.office_name

    def save(self, *args, **kwargs):
        self.pk = 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            # The stored deadlines of reports under the local target follow it.
            Inspection.objects.filter(service__in=services.keys(statutory_deadline=False)).update(
                deadline_on=deadlines.deadline_expression(self.fire_target_days)
            )

    @classmethod
    def load(cls) -> "OfficeSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def reminder_offset_days(self) -> tuple[int, ...]:
        """The offsets as numbers; the defaults if the stored text was saved around validation."""
        try:
            return deadlines.parse_reminder_offsets(self.reminder_offsets)
        except ValueError:
            return deadlines.DEFAULT_REMINDER_OFFSETS


class InspectionType(models.TextChoices):
    PEEL = "peel", "PEEL"
    NATIONAL_THEMATIC = "national_thematic", "National Thematic"
    JOINT_THEMATIC = "joint_thematic", "Joint Thematic"
    FORCE_SPECIFIC = "force_specific", "Force-specific"
    FIRE = "fire", "Fire and rescue service inspection"
    COMMISSIONED = "commissioned", "Commissioned"
    OTHER = "other", "Other"


# The largest HMICFRS number a PositiveIntegerField holds on every database.
MAX_HMICFRS_NUMBER = 2_147_483_647


def hmicfrs_number_searched(query: str) -> int | None:
    """The HMICFRS number a search asks for, if it is one: plain digits that fit the column
    ("²" and "٣" are digits to str.isdigit, and a long number overflows the column)."""
    if query.isascii() and query.isdigit() and int(query) <= MAX_HMICFRS_NUMBER:
        return int(query)
    return None


# The staff list's order: open reports first, nearest deadline first (none last); then those
# answered, latest deadline first. Plain expressions of stored columns, so an index holds them.
DEADLINE_QUEUE = [
    F("answered").asc(),
    Case(When(answered=False, then=Coalesce("deadline_on", Value(datetime.date.max)))).asc(),
    Case(When(answered=True, then=Coalesce("deadline_on", Value(datetime.date.min)))).desc(),
    F("published_on").desc(),
    F("title").asc(),
    F("id").asc(),
]


class InspectionQuerySet(models.QuerySet):
    def deadline_queue(self):
        return self.order_by(*DEADLINE_QUEUE)

    def search(self, query: str):
        query = query.strip().lstrip("#")
        if not query:
            return self
        condition = Q(title__icontains=query)
        if (number := hmicfrs_number_searched(query)) is not None:
            condition |= Q(hmicfrs_number=number)
        return self.filter(condition)

    def deadline_between(self, first, last, *, office: "OfficeSettings"):
        """Inspections whose response deadline falls in [first, last]; None is an open bound."""
        return self.filter(deadline_within(first, last, office=office))


def deadline_within(first, last, *, office: "OfficeSettings") -> Q:
    """The condition that an inspection's response deadline falls in [first, last] (None is an
    open bound), for filters and for counts (Count(filter=...)).

    It is on the stored publication date, through deadlines.publication_window, so the database
    does the work with the date index and the date rules stay in deadlines.py.
    """
    condition = Q(pk__in=[])
    for service in Service.values:
        window = deadlines.publication_window(
            service=service,
            local_target_days=office.fire_target_days,
            first_deadline=first,
            last_deadline=last,
        )
        if window is None:
            continue
        in_window = Q(service=service)
        if window[0]:
            in_window &= Q(published_on__gte=window[0])
        if window[1]:
            in_window &= Q(published_on__lte=window[1])
        condition |= in_window
    return condition


class Inspection(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=300)
    hmicfrs_number = models.PositiveIntegerField(
        "HMICFRS reference number", null=True, blank=True, help_text="For example 29536."
    )
    published_on = models.DateField("date HMICFRS published the report", db_index=True)
    inspection_type = models.CharField(
        "type of inspection", max_length=30, choices=InspectionType.choices
    )
    service = models.CharField(
        max_length=10, choices=Service.choices, default=Service.POLICE, db_index=True
    )
    force_inspected = models.BooleanField(
        "our force or service was inspected",
        default=True,
        help_text="National reports need a response even when the force was not inspected.",
    )
    key_findings = RichTextField(max_length=20_000, blank=True)
    report_url = models.URLField("link to the report", max_length=500, blank=True)
    action_plan_published_on = models.DateField(
        "date the action plan was first published",
        null=True,
        blank=True,
        help_text="Fire action plans are published on the public site and kept up to date there.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every save (inspections.concurrency): an edit form posts the version it was
    # loaded from, so a newer save is never overwritten silently.
    version = models.PositiveIntegerField(default=1)
    # Stored so that lists sort and filter on them in the database (the index below):
    # the response deadline's last day, set by save() and by OfficeSettings.save() when the
    # local target changes; and whether the response is published (its clock stopped), kept
    # by a trigger on the responses' table (responses migration 0012), whatever writes it.
    deadline_on = models.DateField(null=True, blank=True, editable=False)
    answered = models.BooleanField(default=False, editable=False)
    # Both follow other records: their history is theirs.
    history = HistoricalRecords(excluded_fields=["deadline_on", "answered"])

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # The staff inspection list (inspections.views.inspection_list): its order, so a
            # page is read from the index rather than by sorting every inspection.
            models.Index(*(o.copy() for o in DEADLINE_QUEUE), name="inspection_deadline_queue"),
            # Open reports by deadline: the calendar feed (responses.calendar) and the
            # dashboard's deadline bands.
            models.Index(
                fields=["deadline_on"],
                condition=Q(answered=False),
                name="inspection_open_deadline",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__gte=deadlines.EARLIEST_REPORT_DATE),
                name="inspection_published_on_plausible",
                violation_error_message="The report cannot have been published before "
                f"{deadlines.in_words(deadlines.EARLIEST_REPORT_DATE)}.",
            ),
            models.UniqueConstraint(
                fields=["hmicfrs_number"],
                condition=Q(hmicfrs_number__isnull=False),
                name="inspection_hmicfrs_number_unique",
                violation_error_message="Another inspection already has this HMICFRS number.",
            )
        ]

    def __str__(self):
        return f"#{self.hmicfrs_number} – {self.title}" if self.hmicfrs_number else self.title

    def save(self, *args, **kwargs):
        # Only a report under the local target needs the office's settings.
        office = None if self.rules.statutory_deadline else OfficeSettings.load()
        self.deadline_on = self.deadline(office).last_day
        if (fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*fields, "deadline_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("inspection-detail", args=[self.pk])

    @property
    def rules(self) -> services.ServiceRules:
        """What differs for this report's service (police or fire): words, duties, records."""
        return services.of(self)

    def clean(self):
        problems = {
            "published_on": deadlines.report_date_problem(
                self.published_on, label=field_label(self, "published_on")
            ),
            "action_plan_published_on": deadlines.not_after_today(
                self.action_plan_published_on, label=field_label(self, "action_plan_published_on")
            )
            or deadlines.not_before(
                self.action_plan_published_on,
                self.published_on,
                label=field_label(self, "action_plan_published_on"),
                what="the date the report was published",
            ),
        }
        earliest = self._earliest_target() if self.pk and not problems["published_on"] else None
        if earliest and self.published_on and earliest < self.published_on:
            problems["published_on"] = (
                f"{field_label(self, 'published_on')} must be the same as or before "
                f"{deadlines.in_words(earliest)}, the earliest date one of its findings is due"
            )
        raise_problems(problems)

    def _earliest_target(self):
        """The earliest due date or revised target of the findings: none is before the report."""
        due = self.findings.aggregate(earliest=Min("due_date"))["earliest"]
        revised = TargetRevision.objects.filter(finding__inspection=self).aggregate(
            earliest=Min("revised_date")
        )["earliest"]
        return min(filter(None, (due, revised)), default=None)

    def deadline(self, office: OfficeSettings | None = None) -> deadlines.Deadline:
        """The response deadline: derived from the publication date, never typed in."""
        if office is None and not self.rules.statutory_deadline:
            office = OfficeSettings.load()
        return deadlines.response_deadline(
            service=self.service,
            published_on=self.published_on,
            local_target_days=office.fire_target_days if office else None,
        )

    def response_clock(
        self, *, on: datetime.date, office: OfficeSettings | None = None
    ) -> deadlines.ClockStatus:
        """Where the response to this report stands on `on`, for every list and page.

        The response (in the responses app) says whether and when it was published; a
        statement imported without its date is published all the same, never overdue.
        """
        response = getattr(self, "response", None)
        return deadlines.clock_status(
            self.deadline(office),
            report_published_on=self.published_on,
            on=on,
            response_published_on=getattr(response, "published_on", None),
            published=getattr(response, "has_been_published", False),
        )


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class GradedArea(models.Model):
    """A PEEL graded judgement on one area of policing."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="grades")
    area = models.CharField(max_length=200)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="graded_area_unique")
        ]

    def __str__(self):
        return f"{self.area}: {self.get_grade_display()}"


class FindingKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    AFI = "afi", "Area for improvement"
    CONCERN = "concern", "Cause of concern"


class DuePrecision(models.TextChoices):
    DAY = "day", "Date"
    MONTH = "month", "End of month"
    RELATIVE = "relative", "Period from publication"
    IMMEDIATE = "immediate", "Immediately"
    NONE = "none", "No date"


class TrackingStatus(models.TextChoices):
    """Where the work on a finding stands: what the force claims, and what the office has
    assured (each kept apart on the finding; HMICFRS's own position is HmicfrsPosition)."""

    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented – awaiting evidence"
    COMPLETED = "completed", "Completed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"

    @classmethod
    def outstanding(cls) -> list[str]:
        """Statuses still needing work; a finding in one of them can be overdue."""
        return [cls.OPEN, cls.IN_PROGRESS, cls.IMPLEMENTED]

    @classmethod
    def claimable(cls) -> list[str]:
        """What the force may say of its work when it submits progress."""
        return [cls.IN_PROGRESS, cls.IMPLEMENTED, cls.COMPLETED]


class HmicfrsPosition(models.TextChoices):
    """HMICFRS's own view of a finding, whatever the force says or the office has assured."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed by HMICFRS"
    SUPERSEDED = "superseded", "Superseded by a later report"


def disagreement() -> Q:
    """Where the positions part (on findings annotated with_claims): the force says complete and
    the office has not assured it, or the office has assured it and HMICFRS still has it open."""
    done = TrackingStatus.COMPLETED
    return (Q(claimed_status=done) & ~Q(assured_status=done)) | Q(
        assured_status=done, hmicfrs_position=HmicfrsPosition.OPEN
    )


def assurance_awaited() -> Q:
    """Findings with a submission of the force's that nobody has accepted or returned yet."""
    pending = ProgressSubmission.objects.filter(
        finding=OuterRef("pk"), decision=SubmissionDecision.PENDING
    )
    return Q(Exists(pending))


class FindingQuerySet(models.QuerySet):
    def tracked(self):
        """The findings on an action plan: those that apply to our force or service."""
        return self.filter(applies=True)

    def with_targets(self):
        """Annotates `revised_target`, the latest revision's date if any, for lists that show it
        beside HMICFRS's `due_date` (which revisions never overwrite); the target in force is
        the stored `current_target`."""
        revisions = TargetRevision.objects.filter(finding=OuterRef("pk"))
        latest = revisions.order_by("-created_at", "-pk").values("revised_date")
        return self.annotate(revised_target=Subquery(latest[:1]))

    def with_latest_progress(self):
        """Annotates the newest progress update's `latest_progress_at` and
        `latest_progress_text`: two subqueries, rather than loading every update of every
        finding for a list that shows one."""
        updates = ProgressUpdate.objects.filter(finding=OuterRef("pk"))
        latest = updates.order_by("-created_at", "-pk")
        return self.annotate(
            latest_progress_at=Subquery(latest.values("created_at")[:1]),
            latest_progress_text=Subquery(latest.values("text")[:1]),
        )

    def with_claims(self):
        """Annotates `claimed_status`: what the force said in its latest submission (None when
        it has submitted nothing), the force's position beside the office's and HMICFRS's."""
        latest = ProgressSubmission.objects.filter(finding=OuterRef("pk")).order_by(
            "-submitted_at", "-pk"
        )
        return self.annotate(claimed_status=Subquery(latest.values("claimed_status")[:1]))

    def outstanding(self):
        """Work still to do: not assured as done, and not closed or superseded by HMICFRS."""
        return self.filter(
            assured_status__in=TrackingStatus.outstanding(), hmicfrs_position=HmicfrsPosition.OPEN
        )

    def bulk_create(self, objs, *args, **kwargs):
        # What save() keeps, for findings made in bulk: a new finding has no revisions yet.
        objs = list(objs)
        for finding in objs:
            finding.current_target = finding.due_date
        return super().bulk_create(objs, *args, **kwargs)

    def overdue(self, on):
        """Outstanding tracked findings with a current target before `on`."""
        return self.tracked().outstanding().filter(current_target__lt=on)


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    reference = models.CharField(
        "reference as written", max_length=100, blank=True, help_text="For example Rec 02."
    )
    hmicfrs_number = models.PositiveIntegerField("HMICFRS number", null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    text = PlainTextField(max_length=5000)
    addressee = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    due_precision = models.CharField(
        max_length=10, choices=DuePrecision.choices, default=DuePrecision.NONE
    )
    due_phrase = models.CharField(
        max_length=200, blank=True, help_text="The timing as the report words it."
    )
    applies = models.BooleanField("applies to our force", default=True)
    not_applicable_reason = models.TextField(max_length=1000, blank=True)
    concern = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        limit_choices_to={"kind": FindingKind.CONCERN},
        help_text="The cause of concern this recommendation answers.",
    )
    order = models.PositiveIntegerField(default=0)
    # Action plan tracking: who is answerable, and where the work stands.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_findings",
        help_text="The member of staff answerable for this finding.",
    )
    owner_team = models.CharField(
        "owning team",
        max_length=200,
        blank=True,
        help_text="A named team in the force or service, for example Public Protection Unit.",
    )
    # Three positions, kept apart: the office's (changed only by accepting the force's
    # progress, inspections.tracking.accept_submission), HMICFRS's (below), and the force's
    # claim (its latest ProgressSubmission, FindingQuerySet.with_claims).
    assured_status = models.CharField(
        "status assured by the office",
        max_length=20,
        choices=TrackingStatus.choices,
        default=TrackingStatus.OPEN,
        db_index=True,
    )
    # The target in force: the newest revision's date, else HMICFRS's due date. Kept by save()
    # and TargetRevision.save(), and indexed: the dashboard's counts, panels and timeline, the
    # overdue action plan, the calendar feed and the reminders filter and sort on it. Derived,
    # so history leaves it out (the revisions have their own).
    current_target = models.DateField(null=True, blank=True, editable=False, db_index=True)
    hmicfrs_position = models.CharField(
        "HMICFRS's position",
        max_length=20,
        choices=HmicfrsPosition.choices,
        default=HmicfrsPosition.OPEN,
        db_index=True,
    )
    hmicfrs_closed_on = models.DateField("date HMICFRS closed it", null=True, blank=True)
    hmicfrs_reference = models.CharField(
        "HMICFRS's reference for the closure",
        max_length=200,
        blank=True,
        help_text="For example the letter or monitoring portal entry that closed it.",
    )
    superseded_by = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_findings",
        verbose_name="the later report that superseded it",
    )
    # Bumped on every save, as the inspection's is.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["current_target"])

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applies=True) | ~Q(not_applicable_reason=""),
                name="finding_not_applicable_has_reason",
                violation_error_message="Say why the finding does not apply to our force.",
            ),
            models.CheckConstraint(
                condition=Q(due_precision="none") | Q(due_date__isnull=False),
                name="finding_due_precision_has_date",
                violation_error_message="A due date is needed unless the timing is 'No date'.",
            ),
            # HMICFRS closes a finding on a date, or supersedes it by a later report.
            models.CheckConstraint(
                condition=Q(hmicfrs_position="closed", hmicfrs_closed_on__isnull=False)
                | (~Q(hmicfrs_position="closed") & Q(hmicfrs_closed_on__isnull=True)),
                name="finding_closed_by_hmicfrs_has_date",
            ),
            models.CheckConstraint(
                condition=Q(hmicfrs_position="closed") | Q(hmicfrs_reference=""),
                name="finding_hmicfrs_reference_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(hmicfrs_position="superseded", superseded_by__isnull=False)
                | (~Q(hmicfrs_position="superseded") & Q(superseded_by__isnull=True)),
                name="finding_superseded_names_the_report",
            ),
        ]

    def __str__(self):
        return self.reference or f"{self.get_kind_display()} {self.order}"

    def save(self, *args, **kwargs):
        # The one place that decides which target is current (TargetRevision.save sets a new
        # revision's date at once).
        revised = None
        if not self._state.adding:
            revisions = self.target_revisions.order_by("-created_at", "-pk")
            revised = revisions.values_list("revised_date", flat=True).first()
        self.current_target = revised or self.due_date
        super().save(*args, **kwargs)

    def clean(self):
        if not self.inspection_id:
            return
        published_on = self.inspection.published_on
        closed_on = field_label(self, "hmicfrs_closed_on")
        later = self.superseded_by
        raise_problems(
            {
                "due_date": deadlines.not_before(
                    self.due_date,
                    published_on,
                    label=field_label(self, "due_date"),
                    what="the date the report was published",
                ),
                "hmicfrs_closed_on": deadlines.not_after_today(
                    self.hmicfrs_closed_on, label=closed_on
                )
                or deadlines.not_before(
                    self.hmicfrs_closed_on,
                    published_on,
                    label=closed_on,
                    what="the date the report was published",
                ),
                "superseded_by": "Choose a report published after this one"
                if later
                and (later.pk == self.inspection_id or later.published_on < published_on)
                else None,
            }
        )

    @property
    def label(self) -> str:
        return self.reference or self.get_kind_display()

    @property
    def numbered_label(self) -> str:
        """The label with HMICFRS's number, unless the label already carries it
        ("AFI LEVEL 3 #29550" stays as it is; "Rec 02" becomes "Rec 02 (#4822)")."""
        number = self.hmicfrs_number
        if number is None or re.search(rf"(?<!\d){number}(?!\d)", self.label):
            return self.label
        return f"{self.label} (#{number})"

    @property
    def is_outstanding(self) -> bool:
        """As FindingQuerySet.outstanding() decides, for one finding."""
        return (
            self.assured_status in TrackingStatus.outstanding()
            and self.hmicfrs_position == HmicfrsPosition.OPEN
        )

    @property
    def claimed_status_label(self) -> str:
        """The force's latest claim in words (needs with_claims())."""
        claimed = getattr(self, "claimed_status", None)
        return TrackingStatus(claimed).label if claimed else "Nothing submitted"

    @property
    def hmicfrs_position_text(self) -> str:
        """HMICFRS's position in words, with its date and reference or the later report."""
        if self.hmicfrs_position == HmicfrsPosition.CLOSED:
            text = f"Closed by HMICFRS on {deadlines.in_words(self.hmicfrs_closed_on)}"
            return f"{text} ({self.hmicfrs_reference})" if self.hmicfrs_reference else text
        if self.hmicfrs_position == HmicfrsPosition.SUPERSEDED:
            return f"Superseded by “{self.superseded_by.title}”"
        return "Open"

    @property
    def owner_name(self) -> str:
        names = [self.owner.get_full_name() or self.owner.username] if self.owner else []
        return ", ".join([*names, *([self.owner_team] if self.owner_team else [])])

    def get_tracking_url(self):
        return reverse("finding-tracking", args=[self.pk])


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete a record kept for good."""


class AppendOnly(models.Model):
    """A record that is written once: progress updates and target revisions are never rewritten."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records cannot be changed once saved.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records cannot be deleted.")


class TargetRevisionQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # What save() keeps, for revisions made in bulk: each finding's newest is in force.
        objs = list(objs)
        with transaction.atomic():
            created = super().bulk_create(objs, *args, **kwargs)
            latest = self.filter(finding=OuterRef("pk")).order_by("-created_at", "-pk")
            # In batches: SQLite takes a few thousand parameters a query at most.
            for ids in itertools.batched(sorted({revision.finding_id for revision in objs}), 900):
                Finding.objects.filter(pk__in=ids).update(
                    current_target=Subquery(latest.values("revised_date")[:1])
                )
        return created


class TargetRevision(AppendOnly):
    """A later target date for a finding; HMICFRS's original date is kept on the finding."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="target_revisions")
    revised_date = models.DateField("revised target date")
    reason = models.TextField("reason for the revision", max_length=1000)
    approved_by_name = models.CharField("approved by", max_length=200)
    # The force's submission that asked for it, when an Assurer accepted one.
    submission = models.OneToOneField(
        "ProgressSubmission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="target_revision",
    )
    history = HistoricalRecords()

    objects = TargetRevisionQuerySet.as_manager()

    class Meta(AppendOnly.Meta):
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="target_revision_has_reason",
                violation_error_message="Say why the target is being revised.",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by_name=""),
                name="target_revision_has_approver",
                violation_error_message="Name who approved the revised target.",
            ),
        ]

    def __str__(self):
        return f"{self.finding}: revised to {self.revised_date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            # The newest revision is the target in force; the finding's history and version
            # are its own edits', so the stored target is set without a save.
            Finding.objects.filter(pk=self.finding_id).update(current_target=self.revised_date)

    def clean(self):
        if self.finding_id:
            raise_problems(
                {
                    "revised_date": deadlines.not_before(
                        self.revised_date,
                        self.finding.inspection.published_on,
                        label=field_label(self, "revised_date"),
                        what="the date the report was published",
                    )
                }
            )


def evidence_path(instance: "ProgressUpdate", filename: str) -> str:
    return f"evidence/finding-{instance.finding_id}/{filename}"


class ProgressUpdate(AppendOnly):
    """A dated note of progress on a finding, with optional evidence."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="progress_updates")
    text = models.TextField("progress", max_length=5000)
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    # The force's submission it records, when an Assurer accepted one (its files are there).
    submission = models.OneToOneField(
        "ProgressSubmission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_update",
    )
    history = HistoricalRecords()

    class Meta(AppendOnly.Meta):
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="progress_update_has_text")
        ]

    def __str__(self):
        return f"{self.finding}: update of {self.created_at:%d/%m/%Y}"


class ForceContributor(models.Model):
    """Someone in the chief constable's office or the fire service's who takes part through
    the force's own pages (the Force contributor role): which service they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="force_contributor"
    )
    service = models.CharField(max_length=10, choices=Service.choices)
    history = HistoricalRecords()

    class Meta:
        permissions = [
            (
                "contribute_as_force",
                "Can see its service's inspections and findings, answer invitations to "
                "comment and submit progress",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_service_display()})"


class SubmissionDecision(models.TextChoices):
    PENDING = "pending", "Awaiting assurance"
    ACCEPTED = "accepted", "Accepted by the office"
    RETURNED = "returned", "Returned to the force"


class ProgressSubmission(models.Model):
    """Progress on a finding as the force reports it, until the office accepts or returns it.

    Only an accepted submission changes the finding's assured status or target
    (inspections.tracking.accept_submission); a returned one goes back to the force with the
    note. Submissions are never rewritten: a correction is a new submission.
    """

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="submissions")
    narrative = models.TextField("progress made", max_length=5000)
    claimed_status = models.CharField(
        "status the force claims", max_length=20, choices=TrackingStatus.choices
    )
    revised_target = models.DateField("revised target asked for", null=True, blank=True)
    revised_target_reason = models.TextField(
        "reason for the revised target", max_length=1000, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=10,
        choices=SubmissionDecision.choices,
        default=SubmissionDecision.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("note to the force", max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "pk"]
        permissions = [
            ("assure_progress", "Can accept or return the progress the force submits (Assurer)")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(narrative=""), name="progress_submission_has_narrative"
            ),
            models.CheckConstraint(
                condition=Q(claimed_status__in=TrackingStatus.claimable()),
                name="progress_submission_claims_a_status_the_force_may_claim",
            ),
            models.CheckConstraint(
                condition=Q(revised_target__isnull=True, revised_target_reason="")
                | (Q(revised_target__isnull=False) & ~Q(revised_target_reason="")),
                name="progress_submission_revised_target_has_reason",
                violation_error_message="Say why the target should be revised.",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~Q(decision="pending")
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="progress_submission_decision_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(decision_note=""),
                name="progress_submission_returned_has_note",
            ),
            # One at a time: the office decides on it before the force submits again.
            models.UniqueConstraint(
                fields=["finding"],
                condition=Q(decision="pending"),
                name="progress_submission_one_pending_per_finding",
                violation_error_message="Progress on this finding is already awaiting the "
                "office's assurance.",
            ),
        ]

    def __str__(self):
        return f"{self.finding}: progress submitted {self.submitted_at:%d/%m/%Y}"

    @property
    def is_pending(self) -> bool:
        return self.decision == SubmissionDecision.PENDING


def submission_file_path(instance: "SubmissionFile", filename: str) -> str:
    submission = instance.submission
    return f"evidence/finding-{submission.finding_id}/submission-{submission.pk}/{filename}"


class SentFile(models.Model):
    """A file kept as it was sent (evidence rules: inspections.evidence); subclasses add the
    record it was sent with and `file`."""

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class SubmissionFile(SentFile):
    """A file of evidence sent with a progress submission, kept as it was sent."""

    submission = models.ForeignKey(
        ProgressSubmission, on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(upload_to=submission_file_path, max_length=300)
    history = HistoricalRecords()


class FormSubmission(models.Model):
    """A create form posted once: the key its page was given, and where posting it led.

    A double click or a resubmitted post carries the same key, finds it taken and goes where
    the first post went, creating nothing (inspections.submissions).
    """

    key = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField("where it led", max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="form_submission_once_per_key")
        ]

    def __str__(self):
        return f"Form posted by {self.user} at {self.created_at:%d/%m/%Y %H:%M}"
