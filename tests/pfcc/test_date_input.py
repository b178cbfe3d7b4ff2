"""The GOV.UK date input (pfcc/date_input.py): what people type, what they are told, and a stored
date shown back as it is."""

import datetime
import re

import pytest
from django import forms

from pfcc.date_input import DateField
from pfcc.forms import GovukForm

D = datetime.date


class ReportForm(GovukForm):
    published_on = DateField(
        label="Date published", error_messages={"required": "Enter the date published"}
    )
    revised_on = DateField(label="Date revised", required=False)


def _post(day="", month="", year="", name="published_on") -> dict:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def _clean(day="", month="", year=""):
    form = ReportForm(data=_post(day, month, year))
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("1", "3", "2027", D(2027, 3, 1)),
        ("01", "03", "2027", D(2027, 3, 1)),
        (" 27 ", " 3 ", " 2027 ", D(2027, 3, 27)),
        ("27", "March", "2027", D(2027, 3, 27)),
        ("27", "march", "2027", D(2027, 3, 27)),
        ("27", "MAR", "2027", D(2027, 3, 27)),
        ("27", "Mar.", "2027", D(2027, 3, 27)),
        ("30", "Sept", "2027", D(2027, 9, 30)),
        ("30", "sep", "2027", D(2027, 9, 30)),
        ("29", "2", "2024", D(2024, 2, 29)),
        ("31", "12", "1999", D(1999, 12, 31)),
    ],
)
def test_it_takes_what_people_type(day, month, year, expected):
    form = _clean(day, month, year)

    assert form.errors == {}
    assert form.cleaned_data["published_on"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "first_part"),
    [
        ("", "", "", "Enter the date published", "day"),
        ("", "3", "2027", "Date published must include a day", "day"),
        ("27", "", "2027", "Date published must include a month", "month"),
        ("27", "3", "", "Date published must include a year", "year"),
        ("", "", "2027", "Date published must include a day and month", "day"),
        ("", "3", "", "Date published must include a day and year", "day"),
        ("27", "", "", "Date published must include a month and year", "month"),
        ("27", "3", "27", "Date published must include a year with 4 numbers", "year"),
        ("27", "3", "02027", "Date published must include a year with 4 numbers", "year"),
        ("32", "3", "2027", "Date published must be a real date", "day"),
        ("0", "3", "2027", "Date published must be a real date", "day"),
        ("27", "13", "2027", "Date published must be a real date", "month"),
        ("27", "Marchember", "2027", "Date published must be a real date", "month"),
        ("27", "3", "20x7", "Date published must be a real date", "year"),
        ("30", "2", "2027", "Date published must be a real date", "day"),
        ("29", "2", "2027", "Date published must be a real date", "day"),
        ("first", "3", "2027", "Date published must be a real date", "day"),
        ("-1", "3", "2027", "Date published must be a real date", "day"),
    ],
)
def test_each_error_names_the_field_and_links_to_the_part_in_error(
    day, month, year, message, first_part
):
    form = _clean(day, month, year)

    assert form.errors["published_on"] == [message]
    assert form["published_on"].error_target_id == f"id_published_on_{first_part}"


def test_an_optional_date_left_empty_is_none():
    form = ReportForm(data={**_post("1", "3", "2027"), **_post(name="revised_on")})

    assert form.is_valid()
    assert form.cleaned_data["revised_on"] is None


def test_an_optional_date_half_typed_is_an_error_not_nothing():
    form = ReportForm(data={**_post("1", "3", "2027"), **_post("", "4", "", name="revised_on")})

    assert form.errors["revised_on"] == ["Date revised must include a day and year"]


def test_only_the_parts_in_error_are_marked_and_what_was_typed_is_kept():
    html = str(_clean("27", "13", "2027")["published_on"])

    inputs = {
        part: tag
        for part, tag in (
            (re.search(r'id="id_published_on_(\w+)"', tag).group(1), tag)
            for tag in re.findall(r"<input[^>]*>", html)
        )
    }
    assert 'value="13"' in inputs["month"] and "govuk-input--error" in inputs["month"]
    assert 'aria-invalid="true"' in inputs["month"]
    for part in ("day", "year"):
        assert "govuk-input--error" not in inputs[part]
        assert "aria-invalid" not in inputs[part]
    assert 'value="27"' in inputs["day"] and 'value="2027"' in inputs["year"]


def test_a_real_date_error_from_elsewhere_marks_every_part():
    form = _clean("27", "3", "2027")
    form.add_error("published_on", "Date published must be today or in the past")

    html = str(form["published_on"])

    assert html.count("govuk-input--error") == 3
    assert form["published_on"].error_target_id == "id_published_on_day"


def test_the_fieldset_is_described_by_its_hint_and_error():
    html = str(_clean("", "3", "2027").as_div())

    assert re.search(
        r'<fieldset class="govuk-fieldset" '
        r'aria-describedby="id_published_on_helptext id_published_on_error">',
        html,
    )
    assert '<p class="govuk-error-message" id="id_published_on_error">' in html
    assert "Date published</legend>" in html
    assert "Date revised (optional)</legend>" in html
    for part in ("Day", "Month", "Year"):
        assert f'govuk-date-input__label" for="id_published_on_{part.lower()}">{part}<' in html


def test_a_stored_date_is_shown_as_typed_and_posted_back_unchanged():
    stored = D(2026, 9, 29)
    shown = str(ReportForm(initial={"published_on": stored})["published_on"])
    posted = dict(re.findall(r'name="(published_on_\w+)" value="([^"]*)"', shown))

    assert posted == {
        "published_on_day": "29",
        "published_on_month": "9",
        "published_on_year": "2026",
    }
    form = ReportForm(data=posted, initial={"published_on": stored})
    assert form.is_valid()
    assert form.cleaned_data["published_on"] == stored
    assert not form.has_changed()


def test_a_date_posted_whole_by_an_older_page_is_read():
    form = ReportForm(data={"published_on": "2026-09-29"})

    assert form.is_valid()
    assert form.cleaned_data["published_on"] == D(2026, 9, 29)


def test_typing_a_stored_date_differently_is_not_a_change():
    form = ReportForm(data=_post("01", "Sep", "2026"), initial={"published_on": D(2026, 9, 1)})

    assert not form["published_on"].field.has_changed(D(2026, 9, 1), ["01", "Sep", "2026"])
    assert form["published_on"].field.has_changed(D(2026, 9, 1), ["2", "9", "2026"])


def test_a_model_hint_comes_before_the_example():
    field = DateField(label="Date the action plan was published", help_text="Kept up to date.")

    assert field.help_text == "Kept up to date. For example, 27 3 2027"


def test_no_browser_date_picker_is_left():
    class Plain(forms.Form):
        day = forms.DateField()

    assert 'type="date"' not in str(Plain()["day"])
