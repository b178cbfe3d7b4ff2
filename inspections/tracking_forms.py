from django import forms

from inspections import evidence
from inspections.forms import VersionedForm, service_filter
from inspections.models import TrackingStatus
from inspections.tracking import staff_users
from pfcc.filters import FilterForm


class TrackingForm(VersionedForm):
    owner = forms.ModelChoiceField(
        queryset=staff_users(), required=False, empty_label="No named person", label="Owner"
    )
    owner_team = forms.CharField(
        label="Owning team",
        required=False,
        max_length=200,
        help_text="A named team in the force or service, if a team rather than a person owns it.",
    )
    tracking_status = forms.ChoiceField(label="Progress status", choices=TrackingStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The queryset is built per request so new staff appear without a restart.
        self.fields["owner"].queryset = staff_users()


class ProgressForm(forms.Form):
    text = forms.CharField(label="Progress made", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text=f"A document or image that shows the progress, up to 20 MB: {evidence.ACCEPTED}.",
    )

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if not upload:
            return upload
        if upload.size > evidence.MAX_BYTES:
            raise forms.ValidationError("The evidence file must be smaller than 20 MB.")
        kind = evidence.kind_of(upload, upload.name)
        if kind is None:
            raise forms.ValidationError(f"The evidence file must be a {evidence.ACCEPTED} file.")
        upload.name = evidence.stored_name(upload.name, kind)
        return upload


class TargetRevisionForm(forms.Form):
    revised_date = forms.DateField(
        label="Revised target date",
        help_text="For example, 31/3/2027.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    reason = forms.CharField(
        label="Reason for the revision", widget=forms.Textarea(attrs={"rows": 3})
    )
    approved_by_name = forms.CharField(
        label="Approved by", max_length=200, help_text="The name of the person who approved it."
    )


class ActionPlanFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *TrackingStatus.choices]
    )
    owner = forms.ModelChoiceField(queryset=staff_users(), empty_label="Anyone", label="Owner")
    service = service_filter()
    overdue = forms.BooleanField(label="Only overdue")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def filters(self) -> dict:
        """Keyword arguments for tracking.action_plan_findings."""
        return {name: self.values[name] for name in ("status", "owner", "service", "overdue")}
