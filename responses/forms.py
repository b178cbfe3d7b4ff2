from django import forms
from django.contrib.auth import get_user_model
from django.forms import modelform_factory
from django.utils.text import capfirst

from inspections.forms import VersionedForm
from inspections.services import ServiceRules
from responses import roles
from responses.models import Response
from responses.sections import CHIEF_CONSTABLE, RESPONSE_SECTIONS, Section, finding_key

RICH_TEXT_HELP = (
    "Write in paragraphs. A blank line starts a new paragraph; start a line with “- ” for a list."
)


class ResponseSectionForm(VersionedForm, forms.ModelForm):
    rules: ServiceRules  # the response's service, for its words (section_form_class sets it)

    def clean(self):
        data = super().clean()
        requested = data.get("chief_constable_requested_on")
        for name in ("chief_constable_due_on", "chief_constable_received_on"):
            if requested and data.get(name) and data[name] < requested:
                self.add_error(
                    name, "This date must be on or after the date comments were requested"
                )
        if (
            data.get("chief_constable_received_on") or data.get("chief_constable_comments")
        ) and not (requested):
            self.add_error(
                "chief_constable_requested_on",
                self.rules.words("Enter the date the chief constable's comments were requested"),
            )
        return data


def section_form_class(section: Section, rules: ServiceRules) -> type[ResponseSectionForm]:
    widgets = {}
    for name in section.fields:
        if name.endswith("_on"):
            widgets[name] = forms.DateInput(attrs={"type": "date"})
        else:
            widgets[name] = forms.Textarea(attrs={"rows": 8 if section != CHIEF_CONSTABLE else 6})
    help_texts = {
        name: RICH_TEXT_HELP for name in section.fields if not name.endswith(("_on", "_reason"))
    }
    labels = {
        name: capfirst(rules.words(str(Response._meta.get_field(name).verbose_name)))
        for name in section.fields
    }
    form_class = modelform_factory(
        Response,
        form=ResponseSectionForm,
        fields=section.fields,
        widgets=widgets,
        help_texts=help_texts,
        labels=labels,
    )
    form_class.rules = rules
    return form_class


class AnswerForm(VersionedForm):
    text = forms.CharField(
        label="Action taken or proposed, or why no action is taken",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=RICH_TEXT_HELP,
    )


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Nobody"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.DRAFTER, is_active=True)
            .order_by("first_name", "username")
            .distinct()
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username


class ActionForm(forms.Form):
    reason = forms.CharField(
        label="Note for the history (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    section = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": "Comment on a section of this response"},
    )
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment"},
    )

    def __init__(self, *args, response: Response, **kwargs):
        super().__init__(*args, **kwargs)
        # A general comment (no section), a section of the response, or one of its findings.
        keys = [
            "",
            *RESPONSE_SECTIONS,
            *map(finding_key, response.inspection.findings.values_list("pk", flat=True)),
        ]
        self.fields["section"].choices = [(key, key) for key in keys]
