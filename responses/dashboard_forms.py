from django import forms

from inspections.models import Service
from inspections.tracking import staff_users
from pfcc.forms import GovukForm, PersonChoiceField


class DashboardFilterForm(GovukForm):
    """Service, owner and "mine": the filters shared by the dashboard, its lists and exports."""

    service = forms.ChoiceField(
        label="Service", required=False, choices=[("", "Police and fire"), *Service.choices]
    )
    owner = PersonChoiceField(
        queryset=staff_users(), required=False, empty_label="Anyone", label="Owner"
    )
    mine = forms.BooleanField(label="Only mine", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def filters(self, user) -> dict:
        """service and owner for the dashboard queries; "mine" wins over a chosen owner."""
        if not self.is_valid():
            return {"service": "", "owner": None}
        data = self.cleaned_data
        return {"service": data["service"], "owner": user if data["mine"] else data["owner"]}
