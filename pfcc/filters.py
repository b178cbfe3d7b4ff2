"""The one way lists, exports and feeds read their query string: a small filter form per list.

A list's filters are a `FilterForm`. Every filter is optional; a value that does not validate
(a year out of range, a search too long, an owner who does not exist) is ignored, the others
still filter, and the ignored field carries an error saying so for the page to show. Views read
`form.values`, never request.GET itself, so each parameter is parsed once, the same way for the
page and for the exports and feeds made from it.
"""

from django import forms
from django.db.models import Max, Min
from django.utils.functional import cached_property

from pfcc.forms import GovukForm
from pfcc.text import ReadableTextValidator

SEARCH_MAX_LENGTH = 200
IGNORED = "{error}. This filter was ignored."


class SearchField(forms.CharField):
    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, max_length=SEARCH_MAX_LENGTH, **kwargs)


class FilterForm(GovukForm):
    def __init__(self, query, **kwargs):
        # Always bound: an empty query string is valid and filters nothing.
        super().__init__(query, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.CharField):
                field.validators.append(ReadableTextValidator())

    def full_clean(self):
        super().full_clean()
        for name, errors in self._errors.items():
            self._errors[name] = self.error_class(
                [IGNORED.format(error=error.rstrip(".")) for error in errors],
                renderer=self.renderer,
            )

    @cached_property
    def values(self) -> dict:
        """Each filter's value: as cleaned, or the field's empty value where it was ignored."""
        self.is_valid()
        return {
            name: self.cleaned_data[name] if name in self.cleaned_data else field.clean(None)
            for name, field in self.fields.items()
        }


def years_of(queryset, field: str) -> list[int]:
    """The years a year filter offers, newest first: every year from the first to the last
    value of the indexed date `field`, read as two index lookups, never a scan of every row."""
    bounds = queryset.aggregate(first=Min(field), last=Max(field))
    if bounds["first"] is None:
        return []
    return list(range(bounds["last"].year, bounds["first"].year - 1, -1))
