"""GOV.UK Design System markup and messages for every Django form; the sign-in form.

`{{ form }}` renders templates/forms/form.html, and each field templates/forms/field.html: a GOV.UK
form group with label (or legend), hint from help_text and error message. The bound field class
below puts the GOV.UK classes on the widgets themselves, so `{{ form.field }}` alone is styled too.

Every form of the project derives from GovukForm or GovukModelForm: their fields' messages
say what to do in GOV.UK's words, naming the field ("Title must be 300 characters or fewer"),
and their dates are typed into the GOV.UK date input (pfcc/date_input.py). Each required
field still names itself in its own "required" message ("Enter the title of the report").
"""

import copy

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name

from pfcc.date_input import DateField, DateInput

# A textarea shows the GOV.UK character count when its limit is one people may reach.
CHARACTER_COUNT_UP_TO = 2000

# The GOV.UK class of each widget's element, and the modifier it takes when the field has errors.
_TEXT_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
)
_WIDGET_CLASSES = [
    (forms.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input", None),
    (forms.RadioSelect, "govuk-radios__input", None),
    (forms.CheckboxInput, "govuk-checkboxes__input", None),
    (forms.Select, "govuk-select", "govuk-select--error"),
    (forms.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (_TEXT_INPUTS, "govuk-input", "govuk-input--error"),
]

# Django's multiple-choice markup nests each input in its label; GOV.UK puts them side by side.
_WIDGET_TEMPLATES = {
    "django/forms/widgets/radio.html": "forms/widgets/radios.html",
    "django/forms/widgets/checkbox_select.html": "forms/widgets/checkboxes.html",
}


def _widget_classes(widget: forms.Widget, has_errors: bool) -> list[str]:
    for widget_type, css_class, error_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return [css_class, error_class] if has_errors and error_class else [css_class]
    return []


class GovukBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        # A class set on the widget (say govuk-input--width-10) adds to ours, not replaces it.
        own = widget.attrs.get("class", "").split()
        classes = [*_widget_classes(widget, bool(self.errors)), *own]
        if self.character_count:
            classes.append("govuk-js-character-count")
            described = [attrs.get("aria-describedby", ""), self.character_count_id]
            attrs["aria-describedby"] = " ".join(filter(None, described))
        if classes:
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = copy.copy(widget or self.field.widget)
        if template_name := _WIDGET_TEMPLATES.get(widget.template_name):
            widget.template_name = template_name
        if hasattr(widget, "parts"):
            widget.error_parts = self.error_parts
        # The browser would cut off longer text without a word (a paste, silently): the limit
        # is checked on the server, with a message and the character count instead.
        widget.attrs = {k: v for k, v in widget.attrs.items() if k != "maxlength"}
        attrs = {k: v for k, v in (attrs or {}).items() if k != "maxlength"}
        return super().as_widget(widget, attrs, only_initial)

    @property
    def error_parts(self) -> tuple[str, ...]:
        """For a widget made of parts (a date's day, month and year): those the first error is
        about, all of them unless it says which."""
        parts = getattr(self.field.widget, "parts", ())
        if not (parts and self.errors):
            return ()
        error = self.errors.as_data()[0]
        return tuple((error.params or {}).get("parts", parts))

    @property
    def error_target_id(self) -> str:
        """The id an error summary links to: the field's first input (a group's first radio,
        the first part of a date in error)."""
        if not self.auto_id:
            return ""
        if parts := getattr(self.field.widget, "parts", ()):
            return f"{self.auto_id}_{(self.error_parts or parts)[0]}"
        return self.id_for_label or f"{self.auto_id}_0"

    @property
    def is_optional(self) -> bool:
        """Whether the label says "(optional)": not for a field needed at a later step (its
        hint says when), which a person must not take for one they can leave empty."""
        needed_later = getattr(self.form, "needed_later", ())
        return not self.field.required and self.name not in needed_later

    @property
    def character_count(self) -> int | None:
        """The limit to count down from, for a textarea with a limit people may reach."""
        limit = getattr(self.field, "max_length", None)
        if isinstance(self.field.widget, forms.Textarea) and limit:
            return limit if limit <= CHARACTER_COUNT_UP_TO else None
        return None

    @property
    def character_count_id(self) -> str:
        return f"{self.auto_id}-info"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovukBoundField


def _govuk_messages(field: forms.Field, label: str) -> dict[str, str]:
    """GOV.UK messages naming the field, for the checks its type makes."""
    if isinstance(field, forms.FileField):
        messages = {
            "invalid": f"{label}: the selected file could not be read",
            "missing": f"{label}: the selected file could not be read",
            "empty": f"{label}: the selected file is empty",
            "contradiction": f"{label}: choose a new file or remove the current one, not both",
        }
        if field.max_length:
            messages["max_length"] = (
                f"{label}: the file's name must be {field.max_length:,} characters or fewer"
            )
        return messages
    messages = {}
    if isinstance(field, forms.CharField):
        messages["null_characters_not_allowed"] = (
            f"{label} holds a character that cannot be saved (NUL): remove it"
        )
    if getattr(field, "max_length", None):
        messages["max_length"] = f"{label} must be {field.max_length:,} characters or fewer"
    if getattr(field, "min_length", None):
        messages["min_length"] = f"{label} must be {field.min_length:,} characters or more"
    if getattr(field, "max_value", None) is not None:
        messages["max_value"] = f"{label} must be {field.max_value} or less"
    if getattr(field, "min_value", None) is not None:
        messages["min_value"] = f"{label} must be {field.min_value} or more"
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{label} must be a whole number, like 29536"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = (
            f"{label} must be a web address in the correct format, like https://www.example.com"
        )
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = (
            f"{label} must be an email address in the correct format, like name@example.com"
        )
    elif isinstance(field, forms.UUIDField):
        messages["invalid"] = f"{label} was changed: reload the page and try again"
    elif isinstance(field, forms.CharField):
        messages["invalid"] = f"{label} must be in the correct format"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        for code in ("invalid_choice", "invalid_list", "invalid_pk_value"):
            messages[code] = f"{label} must be one of the options given"
    return messages


def _django_defaults(field: forms.Field) -> dict[str, str]:
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


class GovukErrors:
    """Replaces Django's messages on each field with GOV.UK ones that name it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            defaults = _django_defaults(field)
            label = str(field.label or pretty_name(name))
            for code, message in _govuk_messages(field, label).items():
                if field.error_messages.get(code, defaults.get(code)) == defaults.get(code):
                    field.error_messages[code] = message


class GovukForm(GovukErrors, forms.Form):
    pass


def govuk_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model field's form field, with dates typed into the GOV.UK date input."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.update(form_class=DateField, widget=DateInput)
    return db_field.formfield(**kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of people, each by full name as the pages show them (username if none)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PeopleChoiceField(PersonChoiceField, forms.ModelMultipleChoiceField):
    """A choice of several people, each by full name as the pages show them."""

    # Beyond any database's integer: SQLite refuses such a number in a query (`pk__in`).
    LARGEST_ID = 2**63 - 1

    def _check_values(self, value):
        for chosen in value:
            try:
                too_large = abs(int(chosen)) > self.LARGEST_ID
            except (TypeError, ValueError):
                too_large = False  # not a number: Django's own check names it
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": chosen},
                )
        return super()._check_values(value)


# For the admin's `formfield_overrides`: our models' dates in the admin too.
DATE_FIELD_OVERRIDES = {models.DateField: {"form_class": DateField, "widget": DateInput}}


class GovukModelForm(GovukErrors, forms.ModelForm):
    class Meta:
        # A subclass keeps this by deriving its Meta from GovukModelForm.Meta.
        formfield_callback = govuk_formfield


class LoginForm(GovukErrors, AuthenticationForm):
    # Longer than any password a person types, so a paste is never cut short.
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is switched off: ask an administrator to switch it on",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK advises against autofocus: it moves screen reader users past the page's heading.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # Django sets the username's max_length after its validators are made, so a longer one
        # reached authenticate() and the sign-in throttle's 255-character column.
        username = self.fields["username"]
        username.validators.append(
            MaxLengthValidator(
                username.max_length,
                message=f"Username must be {username.max_length} characters or fewer",
            )
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-!-width-two-thirds"
