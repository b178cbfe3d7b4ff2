"""FilterForm: a bad filter value is ignored with a message; the others still filter."""

from django import forms
from django.http import QueryDict

from pfcc.filters import SEARCH_MAX_LENGTH, FilterForm, SearchField


class Filters(FilterForm):
    q = SearchField(label="Search")
    year = forms.IntegerField(label="Year", min_value=1900, max_value=2100)
    colour = forms.ChoiceField(label="Colour", choices=[("", "Any"), ("red", "Red")])
    mine = forms.BooleanField(label="Only mine")


def test_valid_values_are_cleaned_and_missing_ones_are_empty():
    form = Filters(QueryDict("year=2025&colour=red"))
    assert form.values == {"q": "", "year": 2025, "colour": "red", "mine": False}
    assert not form.errors


def test_each_bad_value_is_ignored_alone_and_says_so():
    form = Filters(QueryDict("year=10000&colour=blue&q=burglary&mine=on"))
    assert form.values == {"q": "burglary", "year": None, "colour": "", "mine": True}
    assert form.errors["year"] == ["Year must be 2100 or less. This filter was ignored."]
    assert form.errors["colour"][0].endswith("This filter was ignored.")


def test_numbers_that_are_digits_only_to_unicode_are_ignored():
    assert Filters(QueryDict("year=²")).values["year"] is None


def test_searches_are_bounded_and_refuse_control_characters():
    assert Filters(QueryDict("q=" + "x" * (SEARCH_MAX_LENGTH + 1))).values["q"] == ""
    assert Filters({"q": "a\x00b"}).values["q"] == ""
    assert Filters({"q": "a\x0cb"}).values["q"] == ""
