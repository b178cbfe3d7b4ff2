from django import forms

from inspections import evidence
from inspections.forms import VersionedForm, service_filter
from inspections.models import Finding, ProgressUpdate, TargetRevision, TrackingStatus
from inspections.submissions import OnceForm
from inspections.tracking import staff_users
from pfcc.filters import FilterForm
from pfcc.forms import GovukModelForm, PersonChoiceField


class TrackingForm(VersionedForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Finding
        fields = ["owner", "owner_team", "tracking_status"]
        field_classes = {"owner": PersonChoiceField}
        labels = {"owner": "Owner", "owner_team": "Owning team"}
        help_texts = {
            "owner": "",
            "owner_team": "A named team in the force or service, if a team rather than a "
            "person owns it.",
        }
        error_messages = {"tracking_status": {"required": "Select the progress status"}}

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
        if not upload:
            return upload
        if upload.size > evidence.MAX_BYTES:
            raise forms.ValidationError("The evidence file must be smaller than 20 MB")
        kind = evidence.kind_of(upload, upload.name)
        if kind is None:
            raise forms.ValidationError(f"The evidence file must be a {evidence.ACCEPTED} file")
        upload.name = evidence.stored_name(upload.name, kind)
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


class ActionPlanFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *TrackingStatus.choices]
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
