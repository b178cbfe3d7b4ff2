from django import forms

from inspections.forms import VersionedForm
from inspections.models import Finding, ProgressUpdate, Service, TargetRevision, TrackingStatus
from inspections.submissions import OnceForm
from inspections.tracking import staff_users
from pfcc.forms import GovukForm, GovukModelForm, PersonChoiceField

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


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
        help_texts = {"evidence": "A document that shows the progress, up to 20 MB."}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": "Enter the progress made"}}

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        if evidence and evidence.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The evidence file must be smaller than 20 MB")
        return evidence


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


class ActionPlanFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *TrackingStatus.choices]
    )
    owner = PersonChoiceField(
        queryset=staff_users(), required=False, empty_label="Anyone", label="Owner"
    )
    service = forms.ChoiceField(
        label="Service", required=False, choices=[("", "Police and fire"), *Service.choices]
    )
    overdue = forms.BooleanField(label="Only overdue", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def filters(self) -> dict:
        """Keyword arguments for tracking.action_plan_findings; invalid input filters nothing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "owner": data["owner"],
            "service": data["service"],
            "overdue": data["overdue"],
        }
