"""GOV.UK markup for every form through settings.FORM_RENDERER (pfcc/forms.py, templates/forms/)."""

import datetime
import re

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.template import Context, Template

from pfcc.date_input import DateField
from pfcc.forms import PeopleChoiceField


class ExampleForm(forms.Form):
    title = forms.CharField(help_text="As printed on the report's cover.")
    summary = forms.CharField(widget=forms.Textarea, required=False)
    service = forms.ChoiceField(choices=[("police", "Police"), ("fire", "Fire")])
    kind = forms.ChoiceField(
        choices=[("rec", "Recommendation"), ("afi", "Area for improvement")],
        widget=forms.RadioSelect,
    )
    addressees = forms.MultipleChoiceField(
        choices=[("cc", "Chief constables"), ("pcc", "Commissioners")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    applies = forms.BooleanField(required=False, help_text="Untick if it is for other forces.")
    published_on = DateField(label="Date published")
    reference = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))

    def clean(self):
        if self.cleaned_data.get("title") == "clash":
            raise forms.ValidationError("Another inspection already has this title")
        return self.cleaned_data


def _field(form, name) -> str:
    return str(form[name].as_field_group())


def test_a_text_field_is_a_govuk_form_group_with_label_and_hint():
    html = _field(ExampleForm(), "title")

    assert html.startswith('<div class="govuk-form-group">')
    assert '<label class="govuk-label govuk-label--s" for="id_title">Title</label>' in html
    assert '<div class="govuk-hint" id="id_title_helptext">As printed' in html
    assert re.search(r'<input type="text" name="title"[^>]* class="govuk-input" id=', html)
    assert 'aria-describedby="id_title_helptext"' in html


def test_optional_fields_say_so_in_their_label():
    assert "Summary (optional)</label>" in _field(ExampleForm(), "summary")


def test_a_field_with_an_error_shows_it_the_govuk_way():
    form = ExampleForm(data={"title": ""})

    html = _field(form, "title")

    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert (
        '<p class="govuk-error-message" id="id_title_error">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'aria-invalid="true"' in html


def test_widgets_get_their_govuk_classes():
    form = ExampleForm()

    assert 'class="govuk-textarea"' in str(form["summary"])
    assert 'class="govuk-select"' in str(form["service"])
    assert 'class="govuk-checkboxes__input"' in str(form["applies"])


def test_a_class_set_on_the_widget_is_kept_after_the_govuk_class():
    assert 'class="govuk-input govuk-input--width-10"' in str(ExampleForm()["reference"])


def test_radios_are_a_fieldset_with_each_input_beside_its_label():
    form = ExampleForm(data={"kind": ""})

    html = _field(form, "kind")

    assert '<fieldset class="govuk-fieldset" aria-describedby="id_kind_error">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Kind</legend>' in html
    assert '<div class="govuk-radios" data-module="govuk-radios" id="id_kind">' in html
    assert re.search(
        r'<div class="govuk-radios__item">\s*<input type="radio" name="kind" value="rec"'
        r'[^>]* class="govuk-radios__input" id="id_kind_0">\s*'
        r'<label class="govuk-label govuk-radios__label" for="id_kind_0">Recommendation</label>',
        html,
    )


def test_checkboxes_keep_their_choices_ticked():
    form = ExampleForm(data={"addressees": ["pcc"]})

    html = _field(form, "addressees")

    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes" id="id_addressees">' in html
    assert re.search(r'value="pcc" class="govuk-checkboxes__input"[^>]* checked', html)
    assert not re.search(r'value="cc" class="govuk-checkboxes__input"[^>]* checked', html)


def test_a_single_checkbox_has_its_label_and_hint_beside_it():
    html = _field(ExampleForm(), "applies")

    assert re.search(
        r'<div class="govuk-checkboxes__item">\s*<input type="checkbox" name="applies"'
        r'[^>]* class="govuk-checkboxes__input" id="id_applies">\s*'
        r'<label class="govuk-label govuk-checkboxes__label" for="id_applies">Applies</label>\s*'
        r'<div class="govuk-hint govuk-checkboxes__hint" id="id_applies_helptext">',
        html,
    )
    assert "(optional)" not in html


def test_a_date_is_three_inputs_in_a_fieldset_with_its_legend_and_example():
    form = ExampleForm(initial={"published_on": datetime.date(2025, 5, 16)})

    html = _field(form, "published_on")

    assert '<fieldset class="govuk-fieldset" aria-describedby="id_published_on_helptext">' in html
    assert "Date published</legend>" in html
    assert 'id="id_published_on_helptext">For example, 27 3 2027</div>' in html
    values = re.findall(r'name="published_on_(day|month|year)" value="(\d+)"', html)
    assert values == [("day", "16"), ("month", "5"), ("year", "2025")]
    assert 'type="date"' not in html


def test_the_admins_date_widget_is_left_as_it_is():
    class AdminForm(forms.Form):
        day = forms.DateField(widget=AdminDateWidget)

    assert 'type="text"' in str(AdminForm()["day"])


def test_errors_about_the_whole_form_are_shown_above_its_fields():
    form = ExampleForm(data={"title": "clash"})

    html = str(form)

    assert html.index("Another inspection already has this title") < html.index("id_title")
    assert '<span class="govuk-visually-hidden">Error:</span> Another inspection' in html


def _summary(form) -> str:
    template = Template('{% include "includes/error_summary.html" with form=form %}')
    return template.render(Context({"form": form}))


def test_the_error_summary_links_each_error_to_its_field():
    form = ExampleForm(data={"title": "clash", "service": "police"})

    html = _summary(form)

    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<div role="alert">' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert links == [
        ("id_title", "Another inspection already has this title"),
        ("id_kind_0", "This field is required."),
        ("id_published_on_day", "This field is required."),
        ("id_reference", "This field is required."),
    ]


def test_there_is_no_error_summary_without_errors():
    assert _summary(ExampleForm()).strip() == ""
    assert _summary(ExampleForm(data={})).strip() != ""


def test_an_error_on_a_hidden_field_is_in_the_summary():
    class Versioned(forms.Form):
        title = forms.CharField()
        version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"invalid": "Reload"})

    html = _summary(Versioned(data={"title": "A", "version": "x"}))

    assert '<li><a href="#id_title">Reload</a></li>' in html


def test_a_textarea_with_a_limit_people_reach_counts_down_to_it():
    class Notes(forms.Form):
        note = forms.CharField(max_length=1000, widget=forms.Textarea)
        essay = forms.CharField(max_length=20_000, widget=forms.Textarea)

    note, essay = _field(Notes(), "note"), _field(Notes(), "essay")

    assert 'data-module="govuk-character-count" data-maxlength="1000"' in note
    assert re.search(r'class="govuk-textarea govuk-js-character-count"[^>]*id="id_note"', note)
    assert 'aria-describedby="id_note-info"' in note
    assert '<div id="id_note-info" class="govuk-hint govuk-character-count__message">' in note
    assert "govuk-character-count" not in essay
    # The browser never cuts what is typed or pasted: the server says what is too long.
    assert not re.search(r"<(textarea|input)[^>]* maxlength=", note + essay)


@pytest.mark.django_db
def test_choosing_people_by_an_id_beyond_any_database_integer_is_an_invalid_choice(drafter):
    field = PeopleChoiceField(queryset=User.objects.all())
    assert field.clean([str(drafter.pk)]).get() == drafter
    with pytest.raises(ValidationError) as refused:
        field.clean([str(drafter.pk), "9" * 30])
    assert refused.value.code == "invalid_choice"
