import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspections import deadlines
from inspections.richtext import PlainTextField, RichTextField

DEFAULT_STATUTORY_PARAGRAPH = (
    "Section 33 of the Police Act 1996 (as amended by section 37 of the Policing and Crime Act "
    "2017) requires local policing bodies to respond to recommendations in inspectors reports "
    "within 56 days."
)


class OfficeSettings(models.Model):
    """The office's own details and policies: a single row, edited in the admin."""

    office_name = models.CharField(
        max_length=200, default="Cumbria Office of the Police, Fire and Crime Commissioner"
    )
    commissioner_title = models.CharField(
        max_length=200, default="Cumbria Police, Fire and Crime Commissioner (PFCC)"
    )
    force_name = models.CharField(max_length=200, default="Cumbria Constabulary")
    fire_service_name = models.CharField(
        max_length=200, default="Cumbria Fire and Rescue Service"
    )
    statutory_paragraph = models.TextField(default=DEFAULT_STATUTORY_PARAGRAPH)
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
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "office settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="office_settings_single_row")]

    def __str__(self):
        return self.office_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "OfficeSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class InspectionType(models.TextChoices):
    PEEL = "peel", "PEEL"
    NATIONAL_THEMATIC = "national_thematic", "National Thematic"
    JOINT_THEMATIC = "joint_thematic", "Joint Thematic"
    FORCE_SPECIFIC = "force_specific", "Force-specific"
    FIRE = "fire", "Fire and rescue service inspection"
    COMMISSIONED = "commissioned", "Commissioned"
    OTHER = "other", "Other"


class Service(models.TextChoices):
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"


class InspectionQuerySet(models.QuerySet):
    def search(self, query: str):
        query = query.strip().lstrip("#")
        if not query:
            return self
        condition = Q(title__icontains=query)
        if query.isdigit():
            condition |= Q(hmicfrs_number=int(query))
        return self.filter(condition)


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
    key_findings = RichTextField(blank=True)
    report_url = models.URLField("link to the report", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["hmicfrs_number"],
                condition=Q(hmicfrs_number__isnull=False),
                name="inspection_hmicfrs_number_unique",
                violation_error_message="Another inspection already has this HMICFRS number.",
            )
        ]

    def __str__(self):
        return f"#{self.hmicfrs_number} – {self.title}" if self.hmicfrs_number else self.title

    def get_absolute_url(self):
        return reverse("inspection-detail", args=[self.pk])

    def deadline(self, office: OfficeSettings | None = None) -> deadlines.Deadline:
        """The response deadline: derived from the publication date, never typed in."""
        office = office or OfficeSettings.load()
        return deadlines.response_deadline(
            service=self.service,
            published_on=self.published_on,
            local_target_days=office.fire_target_days,
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


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    reference = models.CharField(
        "reference as written", max_length=100, blank=True, help_text="For example Rec 02."
    )
    hmicfrs_number = models.PositiveIntegerField("HMICFRS number", null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    text = PlainTextField()
    addressee = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    due_precision = models.CharField(
        max_length=10, choices=DuePrecision.choices, default=DuePrecision.NONE
    )
    due_phrase = models.CharField(
        max_length=200, blank=True, help_text="The timing as the report words it."
    )
    applies = models.BooleanField("applies to our force", default=True)
    not_applicable_reason = models.TextField(blank=True)
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
    history = HistoricalRecords()

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
        ]

    def __str__(self):
        return self.reference or f"{self.get_kind_display()} {self.order}"

    @property
    def label(self) -> str:
        return self.reference or self.get_kind_display()
