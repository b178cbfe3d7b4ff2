import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspections import deadlines, services
from inspections.models import (
    Finding,
    Inspection,
    InspectionType,
    SentFile,
    Service,
    field_label,
    hmicfrs_number_searched,
    raise_problems,
)
from inspections.richtext import RichTextField


class VersionedHistory(HistoricalRecords):
    """History of a row whose `version` is bumped on every save: one history row per version.

    The database holds (id, version) unique among the rows of saves (a deletion repeats the
    last version), and migration 0007 adds a trigger that refuses a version that does not
    follow the last one, so a history can never show two entries numbered alike or a gap.
    """

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["constraints"] = [
            models.UniqueConstraint(
                fields=["id", "version"],
                condition=~Q(history_type="-"),
                name=f"{model._meta.model_name}_history_version_unique",
            )
        ]
        return options


class VersionedModel(models.Model):
    """Saves with its history row in one transaction: a history row the database refuses
    (a save that did not bump the version) undoes the save too."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class ResponseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Response(VersionedModel):
    """The commissioner's response to one inspection report (Police Act 1996 s.55)."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="response")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_responses",
    )
    # Long enough for the longest statement section the office has published, several times.
    commissioner_comments = RichTextField(
        "the commissioner's comments", max_length=20_000, blank=True
    )
    chief_constable_comments = RichTextField(
        "the chief constable's comments", max_length=20_000, blank=True
    )
    chief_constable_requested_on = models.DateField(
        "date the chief constable's comments were requested", null=True, blank=True
    )
    chief_constable_due_on = models.DateField(
        "date by which the chief constable was asked to comment", null=True, blank=True
    )
    chief_constable_received_on = models.DateField(
        "date the chief constable's comments were received", null=True, blank=True
    )
    chief_constable_absence_reason = models.TextField(
        "why the chief constable's comments are not recorded", max_length=1000, blank=True
    )
    reply_to_chief_constable = RichTextField(
        "the commissioner's response to the chief constable's comments",
        max_length=20_000,
        blank=True,
    )
    imported = models.BooleanField(
        default=False, help_text="Brought in from the office's earlier published statements."
    )
    published_on = models.DateField(null=True, blank=True, db_index=True)
    # Bumped on every save: an edit form posts the version it was loaded from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = VersionedHistory()

    objects = ResponseQuerySet.as_manager()

    class Meta:
        permissions = [
            ("review_response", "Can comment on, request changes to and approve responses"),
            ("publish_response", "Can publish approved responses"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(published_on__isnull=False)
                | models.Q(imported=True),
                name="response_published_has_date_unless_imported",
            ),
            # The chief constable is asked first, then answers by the date given (s.55(4)).
            *(
                models.CheckConstraint(
                    condition=Q(chief_constable_requested_on__isnull=True)
                    | Q(**{f"{later}__isnull": True})
                    | Q(**{f"{later}__gte": F("chief_constable_requested_on")}),
                    name=f"response_{later}_not_before_request",
                    violation_error_message="The chief constable's dates are out of order.",
                )
                for later in ("chief_constable_due_on", "chief_constable_received_on")
            ),
        ]

    def __str__(self):
        return f"Response to {self.inspection}"

    def get_absolute_url(self):
        return reverse("response-detail", args=[self.pk])

    @property
    def has_been_published(self) -> bool:
        """Whether a version is public: a dated first publication, or an imported statement
        (the office published it before the tracker, often without recording the date)."""
        return self.published_on is not None or self.imported

    def clean(self):
        def label(name: str) -> str:
            return self.inspection.rules.words(field_label(self, name))

        requested = "chief_constable_requested_on"
        problems = {
            requested: deadlines.not_after_today(
                self.chief_constable_requested_on, label=label(requested)
            )
            or deadlines.not_before(
                self.chief_constable_requested_on,
                deadlines.EARLIEST_REPORT_DATE,
                label=label(requested),
            )
        }
        for later in ("chief_constable_due_on", "chief_constable_received_on"):
            problems[later] = deadlines.not_before(
                getattr(self, later),
                self.chief_constable_requested_on,
                label=label(later),
                what="the date the comments were requested",
            )
        received = "chief_constable_received_on"
        problems[received] = problems[received] or deadlines.not_after_today(
            self.chief_constable_received_on, label=label(received)
        )
        raise_problems(problems)


class FindingResponse(VersionedModel):
    """The action taken or proposed on one finding, or why none is taken (s.55(5B))."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="answer")
    text = RichTextField(max_length=20_000, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = VersionedHistory()

    def __str__(self):
        return f"Response to {self.finding}"


class Invitation(models.Model):
    """The commissioner's invitation to the chief officer to comment, by a date the office sets
    (Police Act 1996 s.55(4); asked of the chief fire officer too, though no law requires it).

    Sent once, never changed: a later date is a new invitation. Sending it records the dates
    in the response's own fields (responses.workflow.invite_chief_officer)."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="invitations")
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="invitations")
    requested_on = models.DateField("date sent")
    due_on = models.DateField("date the comments are wanted by")
    message = models.TextField(max_length=2000, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=F("requested_on")), name="invitation_due_after_sent"
            )
        ]

    def __str__(self):
        return f"Invitation to comment on {self.response.inspection}"


class CommentsStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class ChiefOfficerComments(models.Model):
    """The chief officer's comments as the force writes them: a draft only its author sees,
    then, once submitted, the text of the response's chief officer's section. A submitted one
    is never changed; a correction is a new one, and the history keeps both."""

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="comments")
    text = RichTextField("the chief constable's comments", max_length=20_000)
    status = models.CharField(
        max_length=10, choices=CommentsStatus.choices, default=CommentsStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField("date received", null=True, blank=True)
    # Bumped on every save of the draft (inspections.concurrency).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = verbose_name_plural = "chief officer's comments"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True, received_on__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False, received_on__isnull=False),
                name="chief_officer_comments_submitted_has_when",
            ),
            models.UniqueConstraint(
                fields=["invitation", "author"],
                condition=Q(status="draft"),
                name="chief_officer_comments_one_draft_per_author",
            ),
        ]

    def __str__(self):
        return f"Comments on {self.invitation.response.inspection} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == CommentsStatus.DRAFT


def attachment_path(instance: "CommentsAttachment", filename: str) -> str:
    return f"comments/response-{instance.comments.invitation.response_id}/{filename}"


class CommentsAttachment(SentFile):
    """A file sent with the chief officer's comments."""

    comments = models.ForeignKey(
        ChiefOfficerComments, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    history = HistoricalRecords()


class PublicationImmutable(Exception):
    """A published record was about to be changed or deleted: public records are kept as made."""


# The record of onward copies (s.55(6)) is made after publication, once per recipient.
ONWARD_RECIPIENTS = {"hmicfrs": "HMICFRS", "home_secretary": "the Home Secretary"}
ONWARD_COPY_FIELDS = (
    "sent_to_hmicfrs_on",
    "sent_to_hmicfrs_by",
    "sent_to_home_secretary_on",
    "sent_to_home_secretary_by",
)


# The public list's order, as plain expressions (no NULLS LAST) so that an index holds it.
NEWEST_FIRST = [
    Coalesce("published_on", "report_published_on").desc(),
    Coalesce(
        "published_at", models.Value(datetime.datetime.min.replace(tzinfo=datetime.UTC))
    ).desc(),
    models.F("id").desc(),
]
# Public search on PostgreSQL: the title and text as one document, GIN-indexed (migration 0012).
SEARCH_CONFIG = "english"
SEARCH_DOCUMENT = SearchVector("title", "search_text", config=SEARCH_CONFIG)


class PublicationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PublicationImmutable("Published records cannot be changed in bulk.")

    def mark_latest(self, response_id: int) -> None:
        """Moves the latest-version flag of a response to its newest version: the one change,
        besides onward copies, that the database lets a publication's record take (migration
        0011 refuses a flag that does not say whether a newer version exists). One version
        holds it at a time, so the newest is flagged last."""
        versions = Publication.objects.filter(response_id=response_id)
        newest = versions.order_by("-version")[:1].values("pk")
        stale = versions.filter(is_latest=True).exclude(pk__in=newest)
        super(PublicationQuerySet, stale).update(is_latest=False)
        super(PublicationQuerySet, versions.filter(pk__in=newest)).update(is_latest=True)

    def delete(self):
        raise PublicationImmutable("Published records cannot be deleted.")

    def latest_versions(self):
        """The newest version of each published response (a stored, indexed flag)."""
        return self.filter(is_latest=True)

    def listed(self):
        """What a list of publications reads: not the search text, a few kilobytes a row."""
        return self.defer("search_text")

    def first_versions(self):
        return self.filter(version=1)

    def search(self, query: str):
        """Publications whose title or text has the words of `query`, or with its HMICFRS
        number. PostgreSQL matches words through its full-text index (stemmed: "victim"
        finds "victims"); other databases look for the text as typed."""
        query = query.strip().lstrip("#")
        if not query:
            return self
        if connections[self.db].vendor == "postgresql":
            condition = models.Q(
                search_document=SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
            )
            searched = self.annotate(search_document=SEARCH_DOCUMENT)
        else:
            condition = models.Q(title__icontains=query) | models.Q(search_text__icontains=query)
            searched = self
        if (number := hmicfrs_number_searched(query)) is not None:
            condition |= models.Q(hmicfrs_number=number)
        return searched.filter(condition)

    def awaiting_onward_copies(self):
        """Publications not yet recorded as sent to both HMICFRS and the Home Secretary.

        Only reports whose service owes copies (s.55(6): police) are chased. Imported
        statements are left out: the office's earlier process sent their copies, and the
        tracker has no record of it to chase.
        """
        owed = self.filter(imported=False, service__in=services.keys(onward_copies=True))
        return owed.filter(
            models.Q(sent_to_hmicfrs_on__isnull=True)
            | models.Q(sent_to_home_secretary_on__isnull=True)
        )

    def newest_first(self):
        """Newest publication first; a statement whose date is not recorded sits at its report's
        date, the closest known date to when it was published."""
        return self.order_by(*NEWEST_FIRST)


class Publication(models.Model):
    """One published version of a statement: its files and facts, fixed when it was published.

    The public site reads only these records (and their stored files), never live response
    data, so nothing drafted after publication can leak out. Facts the public pages list or
    filter by (title, dates, type) are copied here at publication for the same reason.

    An `imported` record is a statement the office published before the tracker existed,
    rendered from the imported records: nobody in the tracker published it, it has no time of
    publication, and its date (so its timeliness) is often not recorded.
    """

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField()
    html_file = models.FileField(max_length=300)
    pdf_file = models.FileField(max_length=300)
    html_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveIntegerField()
    imported = models.BooleanField(
        default=False, help_text="Published by the office before the tracker; imported."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(
        "date published (Europe/London)", null=True, blank=True, db_index=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amendment_note = models.TextField("what changed", max_length=1000, blank=True)
    # Unknown (null) when the date of publication is not recorded.
    late = models.BooleanField(null=True, default=False)
    days_late = models.PositiveIntegerField(null=True, blank=True)
    late_reason = models.TextField(max_length=1000, blank=True)
    # What was published, as it was then.
    title = models.CharField(max_length=300)
    hmicfrs_number = models.PositiveIntegerField(null=True, blank=True)
    inspection_type = models.CharField(max_length=30, choices=InspectionType.choices)
    service = models.CharField(max_length=10, choices=Service.choices)
    report_published_on = models.DateField()
    deadline_last_day = models.DateField(null=True, blank=True)
    days_taken = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Day of the response period it was published on; the report's day is day 1.",
    )
    search_text = models.TextField(blank=True)
    # Whether this is the response's newest version: what the public list shows. Stored and
    # indexed so the list never looks for newer versions row by row; moved only by
    # PublicationQuerySet.mark_latest.
    is_latest = models.BooleanField(default=False, editable=False)
    # Onward copies (Police Act 1996 s.55(6)).
    sent_to_hmicfrs_on = models.DateField("date sent to HMICFRS", null=True, blank=True)
    sent_to_hmicfrs_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_to_home_secretary_on = models.DateField(
        "date sent to the Home Secretary", null=True, blank=True
    )
    sent_to_home_secretary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Records who recorded each onward copy, and when. The latest-version flag follows the
    # versions published after this one: it is theirs to record.
    history = HistoricalRecords(excluded_fields=["is_latest"])

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        indexes = [
            # The on-time record lists each service's first versions, newest report first, a
            # page at a time (responses.record.first_publications).
            models.Index(
                fields=["service", "version", "-report_published_on", "title", "id"],
                name="publication_record_order",
            ),
            # The public list and sitemap (PublicationQuerySet.latest_versions().newest_first()):
            # a page of it is read in order from here, and counted from here.
            models.Index(
                *(o.copy() for o in NEWEST_FIRST),
                name="publication_latest_newest",
                condition=Q(is_latest=True),
            ),
            # The public list's years (pfcc.filters.years_of) and its year filter.
            models.Index(
                fields=["report_published_on"],
                name="publication_latest_report_on",
                condition=Q(is_latest=True),
            ),
            # The on-time record and open data (first_versions()), by report date.
            models.Index(
                fields=["report_published_on", "title"],
                name="publication_first_report_on",
                condition=Q(version=1),
            ),
            # The Atom feed: the newest publications (published_at is null only for imports).
            models.Index(fields=["-published_at"], name="publication_published_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response"],
                condition=Q(is_latest=True),
                name="publication_one_latest_per_response",
            ),
            models.UniqueConstraint(
                fields=["response", "version"], name="publication_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="publication_version_positive"
            ),
            # Only the back catalogue lacks a publisher and a time: the tracker records both.
            models.CheckConstraint(
                condition=Q(imported=True, published_at__isnull=True, published_by__isnull=True)
                | Q(
                    imported=False,
                    published_at__isnull=False,
                    published_by__isnull=False,
                    published_on__isnull=False,
                ),
                name="publication_publisher_and_time_unless_imported",
            ),
            models.CheckConstraint(
                condition=Q(imported=True) | Q(version__gt=1) | Q(days_taken__isnull=False),
                name="publication_days_taken_unless_imported",
            ),
            # With no date there is nothing to count from: no days taken, no lateness.
            models.CheckConstraint(
                condition=Q(published_on__isnull=False)
                | Q(days_taken__isnull=True, late__isnull=True),
                name="publication_unknown_date_has_no_timing",
            ),
            models.CheckConstraint(
                condition=Q(late__isnull=False) | Q(published_on__isnull=True),
                name="publication_known_date_has_lateness",
            ),
            models.CheckConstraint(
                condition=Q(late=False) | (~Q(late_reason="") & Q(days_late__isnull=False)),
                name="publication_late_has_reason",
                violation_error_message="Say why the response was published late.",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(amendment_note=""),
                name="publication_amendment_has_note",
                violation_error_message="Say what changed in this version.",
            ),
            models.CheckConstraint(
                condition=Q(sent_to_hmicfrs_on__isnull=True, sent_to_hmicfrs_by__isnull=True)
                | Q(sent_to_hmicfrs_on__isnull=False, sent_to_hmicfrs_by__isnull=False),
                name="publication_hmicfrs_copy_has_sender",
            ),
            models.CheckConstraint(
                condition=Q(
                    sent_to_home_secretary_on__isnull=True, sent_to_home_secretary_by__isnull=True
                )
                | Q(
                    sent_to_home_secretary_on__isnull=False, sent_to_home_secretary_by__isnull=False
                ),
                name="publication_home_secretary_copy_has_sender",
            ),
        ]

    def __str__(self):
        return f"{self.title}, version {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self._refuse_changes_to(type(self).objects.get(pk=self.pk))
        super().save(*args, **kwargs)

    def _refuse_changes_to(self, stored: "Publication") -> None:
        onward = {self._meta.get_field(name).attname for name in ONWARD_COPY_FIELDS}
        for field in self._meta.concrete_fields:
            old, new = getattr(stored, field.attname), getattr(self, field.attname)
            if old == new or (field.attname in onward and old is None):
                continue
            raise PublicationImmutable(
                f"Version {stored.version} is published: its {field.verbose_name} cannot change."
            )

    def delete(self, *args, **kwargs):
        raise PublicationImmutable("Published records cannot be deleted.")

    @property
    def on_time(self) -> bool | None:
        """None when the date of publication is not recorded."""
        return None if self.late is None else not self.late

    @property
    def date_recorded(self) -> bool:
        return self.published_on is not None

    @property
    def filename_stem(self) -> str:
        number = f"-{self.hmicfrs_number}" if self.hmicfrs_number else ""
        return f"pfcc-response{number}-v{self.version}"

    @property
    def onward_copies(self) -> list[tuple]:
        """(recipient key, name, date sent, sent by) for HMICFRS and the Home Secretary; none
        for a service that owes no copies."""
        if not services.of(self).onward_copies:
            return []
        return [
            (key, name, getattr(self, f"sent_to_{key}_on"), getattr(self, f"sent_to_{key}_by"))
            for key, name in ONWARD_RECIPIENTS.items()
        ]


class Comment(models.Model):
    """A reviewer's comment on the whole response or on one of its sections."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    # Blank for a general comment; otherwise a section key from responses.sections.
    section = models.CharField(max_length=50, blank=True)
    text = models.TextField("comment", max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | models.Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="comment_resolved_has_who_and_when",
            )
        ]

    def __str__(self):
        return f"Comment by {self.author} on {self.response}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ReminderItem(models.TextChoices):
    RESPONSE = "response", "Response deadline"
    FINDING = "finding", "Finding target"
    INVITATION = "invitation", "Chief officer's comments asked for"


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Reminder before the date"
    ESCALATION = "escalation", "Escalation when overdue"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be retried"


class Delivery(models.Model):
    """An email that must not be lost: recorded before it is sent, marked sent only once the
    mail server has accepted it, retried by send_reminders until then (responses.outbox)."""

    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    recipients = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ReminderLog(Delivery):
    """One reminder, once: the unique key makes sending idempotent across runs.

    `period` is the offset in days before the date (BEFORE) or the week of lateness
    (ESCALATION). `due_on` is part of the key so that a new date earns fresh reminders.
    The message itself is worked out again on each run, from the item as it is then.
    """

    item_kind = models.CharField(max_length=10, choices=ReminderItem.choices)
    item_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    period = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item_kind", "item_id", "kind", "due_on", "period"],
                name="reminder_log_once_per_key",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="reminder_log_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.item_kind} {self.item_id} {self.kind} {self.period} ({self.status})"


class Notification(Delivery):
    """An email about a response's or a finding's progress (responses.notifications), kept with
    its text: it is written in the same transaction as the step it tells of, so it cannot be
    lost. `response` is empty for news of a finding's progress."""

    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    subject = models.TextField()
    body = models.TextField()
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["status"], name="notification_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.status})"


class JobRun(models.Model):
    """When a periodic command last finished, for /healthz to tell whether cron still runs it."""

    command = models.CharField(max_length=50, unique=True)
    finished_at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    # One row per command; its history is the record of every run.
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.command} at {self.finished_at:%Y-%m-%d %H:%M}"


class CalendarToken(models.Model):
    """The secret in a user's private calendar feed URL; deleting it revokes the URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The secret itself stays out of history: a revoked address must leave no copy behind.
    history = HistoricalRecords(excluded_fields=["token"])

    def __str__(self):
        return f"Calendar feed of {self.user}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class ExportFile(models.Model):
    """An export too large to make within a request, made by the task worker
    (responses.tasks) and kept for the person to download."""

    kind = models.CharField(max_length=20)
    fmt = models.CharField(max_length=5)
    # The filters, as the export's address carried them.
    query = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=300, blank=True)
    filename = models.CharField(max_length=100)
    # Who asked for what, and when (the worker's progress is not history).
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("export-status", args=[self.pk])

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
