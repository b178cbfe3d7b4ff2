from django import forms
from django.contrib.auth import get_user_model
from django.forms import modelform_factory
from django.utils.text import capfirst

from inspections.forms import VersionedForm
from inspections.services import ServiceRules
from inspections.submissions import OnceForm
from pfcc.forms import GovukForm, GovukModelForm, PersonChoiceField
from responses import roles
from responses.models import Comment, FindingResponse, Response
from responses.sections import CHIEF_CONSTABLE, RESPONSE_SECTIONS, Section, finding_key

RICH_TEXT_HELP = (
    "Write in paragraphs. A blank line starts a new paragraph; start a line with “- ” for a list."
)
# The parts a response needs before it can be approved (responses.sections.completeness_gaps):
# not "(optional)", though a draft can be saved without them.
NEEDED_FOR_APPROVAL = "Needed before the response can be approved."
NEEDED_ONCE_REQUESTED = (
    "Needed before approval once comments were requested: record them, or say why there "
    "are none."
)
# Up to this many characters of a note for the history (the history keeps it in full).
MAX_NOTE_CHARS = 2000


class ResponseSectionForm(VersionedForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Response
        fields = []

    rules: ServiceRules  # the response's service, for its words (section_form_class sets it)
    needed_later = (
        "commissioner_comments",
        "chief_constable_requested_on",
        "chief_constable_comments",
        "chief_constable_absence_reason",
    )

    def clean(self):
        # The order of the chief constable's dates is the model's rule (Response.clean).
        data = super().clean()
        given = [
            data.get(name)
            for name in (
                "chief_constable_due_on",
                "chief_constable_received_on",
                "chief_constable_comments",
            )
        ]
        if any(given) and "chief_constable_requested_on" in self.fields:
            if not data.get("chief_constable_requested_on") and not self.has_error(
                "chief_constable_requested_on"
            ):
                self.add_error(
                    "chief_constable_requested_on",
                    self.rules.words(
                        "Enter the date the chief constable's comments were requested"
                    ),
                )
        return data

    def validate_constraints(self):
        # Response.clean has said what the constraints would, next to the right fields.
        if not self.errors:
            super().validate_constraints()


def _help_text(name: str) -> str:
    if name == "commissioner_comments":
        return f"{NEEDED_FOR_APPROVAL} {RICH_TEXT_HELP}"
    if name == "chief_constable_comments":
        return f"{NEEDED_ONCE_REQUESTED} {RICH_TEXT_HELP}"
    if name == "chief_constable_absence_reason":
        return "Needed before approval if comments were requested and none are recorded."
    if name == "chief_constable_requested_on":
        return "Needed once the comments, or the dates they were asked for or received, are given."
    if name.endswith("_on"):
        return ""
    return RICH_TEXT_HELP


def section_form_class(section: Section, rules: ServiceRules) -> type[ResponseSectionForm]:
    rows = 8 if section != CHIEF_CONSTABLE else 6
    text_fields = [name for name in section.fields if not name.endswith("_on")]
    labels = {
        name: capfirst(rules.words(str(Response._meta.get_field(name).verbose_name)))
        for name in section.fields
    }
    form_class = modelform_factory(
        Response,
        form=ResponseSectionForm,
        fields=section.fields,
        widgets={name: forms.Textarea(attrs={"rows": rows}) for name in text_fields},
        help_texts={name: rules.words(_help_text(name)) for name in section.fields},
        labels=labels,
    )
    form_class.rules = rules
    return form_class


class AnswerForm(VersionedForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = FindingResponse
        fields = ["text"]
        labels = {"text": "Action taken or proposed, or why no action is taken"}
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, needed_for_approval: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Each recommendation needs an answer before approval (s.55(5B)); other findings may.
        help_text = f"{NEEDED_FOR_APPROVAL} {RICH_TEXT_HELP}" if needed_for_approval else ""
        self.fields["text"].help_text = help_text or RICH_TEXT_HELP
        self.needed_later = ("text",) if needed_for_approval else ()


class OwnerForm(GovukForm):
    owner = PersonChoiceField(
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


class ActionForm(GovukForm):
    """A workflow step's note; what needs to change, when a reviewer requests changes."""

    reason = forms.CharField(
        label="Note for the history",
        required=False,
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: str, reason_required: bool = False, **kwargs):
        kwargs.setdefault("auto_id", f"{action}-%s")
        super().__init__(*args, **kwargs)
        self.action = action
        if reason_required:
            field = self.fields["reason"]
            field.label = "What needs to change"
            field.required = True
            field.error_messages["required"] = "Enter what needs to change"


def comment_sections(findings) -> list[str]:
    """The parts of a response a comment can be on: the whole of it (""), its sections and
    its findings (the inspection's `findings`)."""
    return ["", *RESPONSE_SECTIONS, *(finding_key(finding.pk) for finding in findings)]


class CommentForm(OnceForm, GovukModelForm):
    """A comment on one of `sections` (comment_sections). `section` is the part whose box the
    form is shown in: a part the response does not have (a changed page) shows its error in the
    box for general comments."""

    section = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": "Comment on a section of this response"},
    )

    class Meta(GovukModelForm.Meta):
        model = Comment
        fields = ["section", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": "Comment"}
        error_messages = {"text": {"required": "Enter a comment"}}

    def __init__(self, *args, sections: list[str], section: str = "", **kwargs):
        self.box = section if section in sections else ""
        kwargs.setdefault("auto_id", f"comment-{self.box or 'general'}-%s")
        kwargs.setdefault("initial", {"section": self.box})
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(key, key) for key in sections]
