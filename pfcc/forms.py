"""GOV.UK Design System markup for every Django form (settings.FORM_RENDERER); the sign-in form.

`{{ form }}` renders templates/forms/form.html, and each field templates/forms/field.html: a GOV.UK
form group with label (or legend), hint from help_text and error message. The bound field class
below puts the GOV.UK classes on the widgets themselves, so `{{ form.field }}` alone is styled too.
"""

import copy

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting

# The GOV.UK class of each widget's element, and the modifier it takes when the field has errors.
_TEXT_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
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
        if classes:
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        template_name = _WIDGET_TEMPLATES.get(widget.template_name)
        # Only Django's plain date widget: the admin's calendar widget subclasses it and wants text.
        is_plain_date = type(widget) is forms.DateInput and widget.input_type == "text"
        if template_name or is_plain_date:
            widget = copy.copy(widget)
            if template_name:
                widget.template_name = template_name
            if is_plain_date:
                # The browser's date picker reads and writes ISO dates, whatever the locale.
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
        return super().as_widget(widget, attrs, only_initial)

    @property
    def error_target_id(self) -> str:
        """The id an error summary links to: the field's first input (a group's first radio)."""
        if not self.auto_id:
            return ""
        return self.id_for_label or f"{self.auto_id}_0"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovukBoundField


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK advises against autofocus: it moves screen reader users past the page's heading.
        self.fields["username"].widget.attrs.pop("autofocus", None)
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
