from django import forms
from django.contrib.auth import get_user_model
from django.forms import modelform_factory
from django.utils.text import capfirst

from inspections.forms import EvidenceFilesField, VersionedForm
from inspections.services import ServiceRules
from inspections.submissions import OnceForm
from pfcc.date_input import EXAMPLE, DateField
from pfcc.forms import GovukForm, GovukModelForm, PeopleChoiceField, PersonChoiceField
from responses import roles
from responses.models import ChiefOfficerComments, Comment, FindingResponse, Invitation, Response
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


def section_form_class(
    section: Section, rules: ServiceRules, fixed: tuple[str, ...] = ()
) -> type[ResponseSectionForm]:
    """The edit form of a section; without its `fixed` fields, which the force's part sets
    (responses.workflow.force_fixed_fields)."""
    rows = 8 if section != CHIEF_CONSTABLE else 6
    fields = [name for name in section.fields if name not in fixed]
    text_fields = [name for name in fields if not name.endswith("_on")]
    labels = {
        name: capfirst(rules.words(str(Response._meta.get_field(name).verbose_name)))
        for name in fields
    }
    form_class = modelform_factory(
        Response,
        form=ResponseSectionForm,
        fields=fields,
        widgets={name: forms.Textarea(attrs={"rows": rows}) for name in text_fields},
        help_texts={name: rules.words(_help_text(name)) for name in fields},
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


class InvitationForm(OnceForm):
    """The invitation to the chief officer to comment (s.55(4)): to whom, by when, and why."""

    recipients = PeopleChoiceField(
        label="Send it to",
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who to send it to"},
    )
    due_on = DateField(
        label="The date the comments are wanted by",
        error_messages={"required": "Enter the date the comments are wanted by"},
    )
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=Invitation._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent with the link, for example what the office would like the comments "
        "to cover.",
    )
    short_window = forms.BooleanField(
        label="Send it anyway, though it leaves the office less time than it needs",
        required=False,
    )

    def __init__(self, *args, window, rules, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window
        self.fields["recipients"].queryset = people
        self.fields["recipients"].help_text = rules.words(
            "Contributors of the chief constable's office who may write the comments."
        )
        if window is not None:
            self.initial.setdefault("due_on", window.suggested)
            self.fields["due_on"].help_text = f"{window.hint()} {EXAMPLE}"

    @property
    def asks_to_confirm(self) -> bool:
        """Whether the page shows the box to send it anyway: the date leaves the office too few
        days."""
        due_on = self.cleaned_data.get("due_on") if hasattr(self, "cleaned_data") else None
        return bool(due_on and self.window and self.window.leaves_too_few_days(due_on))

    def clean(self):
        data = super().clean()
        due_on = data.get("due_on")
        if due_on is None or self.window is None:
            return data
        if problem := self.window.problem(due_on, label="The date the comments are wanted by"):
            self.add_error("due_on", problem)
        elif self.window.leaves_too_few_days(due_on) and not data.get("short_window"):
            left = self.window.office_days_left(due_on)
            self.add_error(
                "due_on",
                f"This leaves the office {left} day{'s' if left != 1 else ''} before the "
                f"response's last day, fewer than the {self.window.office_days} it needs: "
                "choose an earlier date, or tick the box to send it anyway",
            )
        return data


class CommentsForm(VersionedForm, GovukModelForm):
    """The chief officer's comments as the force writes them: saved as a draft, or submitted."""

    attachments = EvidenceFilesField(label="Attachments")

    class Meta(GovukModelForm.Meta):
        model = ChiefOfficerComments
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.label = rules.words("The chief constable's comments")
        text.help_text = RICH_TEXT_HELP
        text.error_messages["required"] = rules.words("Enter the chief constable's comments")
