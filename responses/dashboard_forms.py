from django import forms

from inspections import deadlines
from inspections.forms import service_filter
from inspections.tracking import staff_users
from inspections.tracking_forms import ActionPlanFilterForm
from pfcc.filters import FilterForm, SearchField
from pfcc.forms import PersonChoiceField
from responses.dashboard import PANELS_BY_KEY

PUBLISHED_LIST = "published"


class DashboardFilterForm(FilterForm):
    """Service, owner and "mine": the filters shared by the dashboard, its lists and exports."""

    service = service_filter()
    owner = PersonChoiceField(queryset=staff_users(), empty_label="Anyone", label="Owner")
    mine = forms.BooleanField(label="Only mine")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def filters(self, user) -> dict:
        """service and owner for the dashboard queries; "mine" wins over a chosen owner."""
        data = self.values
        return {"service": data["service"], "owner": user if data["mine"] else data["owner"]}


class DeadlineListForm(DashboardFilterForm):
    """The list behind one figure of the dashboard: which panel (or year of published ones)."""

    panel = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[(key, key) for key in (*PANELS_BY_KEY, PUBLISHED_LIST)],
    )
    # A financial year as deadlines.financial_year writes it.
    year = forms.RegexField(regex=r"^\d{4}-\d{2}$", widget=forms.HiddenInput)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year:
            try:
                deadlines.financial_year_bounds(year)
            except ValueError:
                raise forms.ValidationError("Enter a financial year like 2025-26.") from None
        return year


class ExportFilterForm(DashboardFilterForm):
    q = SearchField(label="Search by title or HMICFRS number")


class FindingExportFilterForm(ActionPlanFilterForm):
    mine = forms.BooleanField(label="Only mine")
    inspection = forms.IntegerField(min_value=1, max_value=2**63 - 1)
