"""The GOV.UK date input: one field and widget for every date a person types.

Three text inputs (day, month and year) in a fieldset whose legend is the field's label, with
the hint "For example, 27 3 2027" (https://design-system.service.gov.uk/components/date-input/).
It takes what people type: `1` or `01`, months as numbers or names ("March", "Mar"), spaces
around any part. A stored date is shown back as its day, month and year; what was typed is
shown back as typed when it has an error. Errors name the field and the part that is wrong
("Date published must include a year") and the summary links to the first part in error.

Rules about which dates make sense (not in the future, not before the report) belong to the
models and inspections/deadlines.py, not here: this field only reads a calendar date.
"""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
EXAMPLE = "For example, 27 3 2027"

_NUMBER = re.compile(r"[0-9]+")
_WIDTHS = {"day": 2, "month": 2, "year": 4}
# "March", "Mar", "mar." and the common "Sept".
_MONTHS = {
    **{name.casefold(): n for n, name in enumerate(calendar.month_name) if name},
    **{name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


def _words(parts) -> str:
    """("day", "year") -> "a day and year"."""
    return "a " + " and ".join(parts)


class DateInput(forms.MultiWidget):
    """Three inputs named and identified `<name>_day`, `_month` and `_year`."""

    template_name = "forms/widgets/date_input.html"
    # The parts a person types; pfcc.forms.GovukBoundField marks those an error is about.
    parts = PARTS

    def __init__(self, attrs=None):
        # Text inputs, as GOV.UK advises: type=number mangles and spins numbers. The size is
        # for pages without GOV.UK's styles (the admin); its width classes win elsewhere.
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "size": _WIDTHS[part]})
            for part in PARTS
        }
        super().__init__(widgets, attrs)
        # The parts to mark as in error; set per rendering by GovukBoundField.
        self.error_parts: tuple[str, ...] = ()

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        # A page from before the date input (open in a tab across an upgrade) posts the date
        # whole, as 2026-09-29, under the field's own name.
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id", "")
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            part_attrs = subwidget["attrs"]
            width = _WIDTHS[part]
            classes = ["govuk-input", "govuk-date-input__input", f"govuk-input--width-{width}"]
            if part in self.error_parts:
                classes.append("govuk-input--error")
            else:
                part_attrs.pop("aria-invalid", None)
            part_attrs["class"] = " ".join(classes)
            if field_id:
                part_attrs["id"] = f"{field_id}_{part}"
            subwidget["label"] = part.capitalize()
        return context


class DateField(forms.Field):
    """A calendar date typed as day, month and year. `{label}` in a message is the field's
    label and `{missing}` the parts not typed ("a day and year")."""

    widget = DateInput
    default_error_messages = {
        "incomplete": "{label} must include {missing}",
        "invalid": "{label} must be a real date",
        "year": "{label} must include a year with 4 numbers",
    }

    def __init__(self, *, help_text="", **kwargs):
        # The model's hint first, then the example of how to type a date.
        hint = f"{help_text} {EXAMPLE}" if help_text else EXAMPLE
        super().__init__(help_text=hint, **kwargs)

    def _error(self, code: str, parts, **words) -> ValidationError:
        label = str(self.label or "Date")
        message = self.error_messages[code].format(label=label, **words)
        return ValidationError(message, code=code, params={"parts": tuple(parts)})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            # A date that did not come from the three inputs (an initial value, a query).
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise self._error("invalid", PARTS) from None
        typed = dict(zip(PARTS, (str(part or "").strip() for part in value), strict=False))
        missing = [part for part in PARTS if not typed.get(part)]
        if len(missing) == len(PARTS):
            return None
        if missing:
            raise self._error("incomplete", missing, missing=_words(missing))
        day, month, year = typed["day"], typed["month"].rstrip(".").casefold(), typed["year"]
        if _NUMBER.fullmatch(year) and len(year) != 4:
            raise self._error("year", ["year"])
        numbers = {
            "day": int(day) if _NUMBER.fullmatch(day) else None,
            "month": int(month) if _NUMBER.fullmatch(month) else _MONTHS.get(month),
            "year": int(year) if _NUMBER.fullmatch(year) else None,
        }
        ranges = {"day": range(1, 32), "month": range(1, 13), "year": range(1, 10000)}
        wrong = [part for part in PARTS if numbers[part] not in ranges[part]]
        if wrong:
            raise self._error("invalid", wrong)
        try:
            return datetime.date(numbers["year"], numbers["month"], numbers["day"])
        except ValueError:
            # 30 February: the day is what does not fit.
            raise self._error("invalid", ["day"]) from None

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True
