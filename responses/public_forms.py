from django import forms

from inspections.forms import service_filter
from inspections.models import InspectionType
from pfcc.filters import FilterForm, SearchField


class PublicFilterForm(FilterForm):
    """The public list's search and filters; ids are the field names, as the page's links use."""

    q = SearchField(label="Search by title or text")
    year = forms.TypedChoiceField(
        label="Year the report was published", coerce=int, empty_value=None, choices=[]
    )
    type = forms.ChoiceField(
        label="Type of inspection", choices=[("", "Any type"), *InspectionType.choices]
    )
    service = service_filter()

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)
        self.fields["year"].choices = [("", "Any year"), *((y, str(y)) for y in years)]
