from django import forms

from inspections import deadlines, evidence
from inspections.forms import EvidenceFilesField, VersionedForm, service_filter
from inspections.models import (
    Finding,
    HmicfrsPosition,
    Inspection,
    ProgressSubmission,
    ProgressUpdate,
    TargetRevision,
    TrackingStatus,
)
from inspections.submissions import OnceForm
from inspections.tracking import staff_users
from pfcc.filters import FilterForm
from pfcc.forms import GovukForm, GovukModelForm, PersonChoiceField


class TrackingForm(VersionedForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Finding
        # The assured status is not here: only accepting the force's progress changes it.
        fields = ["owner", "owner_team"]
        field_classes = {"owner": PersonChoiceField}
        labels = {"owner": "Owner", "owner_team": "Owning team"}
        help_texts = {
            "owner": "",
            "owner_team": "A named team in the force or service, if a team rather than a "
            "person owns it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The queryset is built per request so new staff appear without a restart.
        self.fields["owner"].queryset = staff_users()
        self.fields["owner"].empty_label = "No named person"


class ProgressForm(OnceForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ProgressUpdate
        fields = ["text", "evidence"]
        labels = {"text": "Progress made", "evidence": "Evidence"}
        help_texts = {
            "evidence": f"A document or image that shows the progress, up to 20 MB: "
            f"{evidence.ACCEPTED}."
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": "Enter the progress made"}}

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if upload and (problem := evidence.upload_problem(upload)):
            raise forms.ValidationError(problem)
        return upload


class TargetRevisionForm(OnceForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = TargetRevision
        fields = ["revised_date", "reason", "approved_by_name"]
        help_texts = {"approved_by_name": "The name of the person who approved it."}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "revised_date": {"required": "Enter the revised target date"},
            "reason": {"required": "Enter the reason for the revision"},
            "approved_by_name": {"required": "Enter the name of the person who approved it"},
        }


class HmicfrsPositionForm(VersionedForm, GovukModelForm):
    """HMICFRS's position on a finding, as its letters and monitoring portal record it."""

    class Meta(GovukModelForm.Meta):
        model = Finding
        fields = ["hmicfrs_position", "hmicfrs_closed_on", "hmicfrs_reference", "superseded_by"]
        widgets = {"hmicfrs_position": forms.RadioSelect}
        labels = {
            "hmicfrs_closed_on": "Date HMICFRS closed it",
            "superseded_by": "The later report that superseded it",
        }
        help_texts = {
            "hmicfrs_closed_on": "Needed when HMICFRS has closed it.",
            "hmicfrs_reference": "Needed when HMICFRS has closed it: for example the letter or "
            "monitoring portal entry that closed it.",
            "superseded_by": "Needed when a later report superseded it.",
        }
        error_messages = {"hmicfrs_position": {"required": "Select HMICFRS's position"}}

    needed_later = ("hmicfrs_closed_on", "hmicfrs_reference", "superseded_by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        finding = self.instance
        # Reports published since this one (Finding.clean checks it too).
        later = Inspection.objects.none()
        if finding.inspection_id:
            later = Inspection.objects.exclude(pk=finding.inspection_id).filter(
                published_on__gte=finding.inspection.published_on
            )
        self.fields["superseded_by"].queryset = later.order_by("-published_on", "title")
        self.fields["superseded_by"].empty_label = "Not superseded"

    def clean(self):
        data = super().clean()
        position = data.get("hmicfrs_position")
        if position == HmicfrsPosition.CLOSED:
            if not data.get("hmicfrs_closed_on") and not self.has_error("hmicfrs_closed_on"):
                self.add_error("hmicfrs_closed_on", "Enter the date HMICFRS closed it")
            if not data.get("hmicfrs_reference", "").strip():
                self.add_error("hmicfrs_reference", "Enter HMICFRS's reference for the closure")
        if position == HmicfrsPosition.SUPERSEDED and not data.get("superseded_by"):
            if not self.has_error("superseded_by"):
                self.add_error("superseded_by", "Choose the later report that superseded it")
        return data

    def _post_clean(self):
        # Only the chosen position's details are kept (tracking.set_hmicfrs_position), so the
        # model is checked with the others emptied.
        position = self.cleaned_data.get("hmicfrs_position")
        if position != HmicfrsPosition.CLOSED:
            self.cleaned_data.update(hmicfrs_closed_on=None, hmicfrs_reference="")
        if position != HmicfrsPosition.SUPERSEDED:
            self.cleaned_data["superseded_by"] = None
        super()._post_clean()

    def validate_constraints(self):
        # clean() has said what the constraints would, next to the right fields.
        if not self.errors:
            super().validate_constraints()


class ProgressSubmissionForm(OnceForm, GovukModelForm):
    """The force's progress on a finding, for the office to assure."""

    files = EvidenceFilesField(label="Evidence")

    class Meta(GovukModelForm.Meta):
        model = ProgressSubmission
        fields = ["narrative", "claimed_status", "revised_target", "revised_target_reason"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "claimed_status": forms.RadioSelect,
            "revised_target_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "narrative": "Progress made",
            "claimed_status": "Where the work stands",
            "revised_target": "Revised target date, if you ask for one",
        }
        help_texts = {
            "revised_target": "The office decides on it with the rest of this update; the "
            "original target is kept beside it.",
            "revised_target_reason": "Needed when you ask for a revised target.",
        }
        error_messages = {
            "narrative": {"required": "Enter the progress made"},
            "claimed_status": {"required": "Select where the work stands"},
        }

    needed_later = ("revised_target_reason",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["claimed_status"]
        field.choices = [c for c in TrackingStatus.choices if c[0] in TrackingStatus.claimable()]
        self.fields["revised_target"].required = False

    def clean(self):
        data = super().clean()
        target, reason = data.get("revised_target"), data.get("revised_target_reason", "")
        if target and not reason.strip():
            self.add_error("revised_target_reason", "Enter the reason for the revised target")
        if target and (
            problem := deadlines.not_before(
                target, deadlines.today(), label="Revised target date", what="today"
            )
        ):
            self.add_error("revised_target", problem)
        if not target:
            data["revised_target_reason"] = ""
        return data

    def validate_constraints(self):
        if not self.errors:
            super().validate_constraints()


class DecisionForm(GovukForm):
    """An Assurer's decision on the force's progress: accepted, or returned with a note."""

    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("return", "Return to the force")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose whether to accept or return it"},
    )
    note = forms.CharField(
        label="Note to the force",
        required=False,
        max_length=ProgressSubmission._meta.get_field("decision_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you return it: say what the force must add or change.",
    )
    needed_later = ("note",)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("note", "").strip():
            self.add_error("note", "Enter a note saying why it is returned")
        return data


class ActionPlanFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Office-assured status", choices=[("", "Any status"), *TrackingStatus.choices]
    )
    owner = PersonChoiceField(queryset=staff_users(), empty_label="Anyone", label="Owner")
    service = service_filter()
    overdue = forms.BooleanField(label="Only overdue")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def filters(self) -> dict:
        """Keyword arguments for tracking.action_plan_findings."""
        return {name: self.values[name] for name in ("status", "owner", "service", "overdue")}
