"""Forms for pasting findings and correcting the parsed rows before they are saved."""

from django import forms

from inspections.intake import ROW_FIELDS
from inspections.models import DuePrecision, Finding, FindingKind, Inspection
from inspections.submissions import OnceForm
from pfcc.forms import GovukForm, GovukModelForm

MAX_PASTE_CHARS = 200_000


class PasteForm(GovukForm):
    text = forms.CharField(
        label="Findings from the report",
        help_text="Paste the recommendations, areas for improvement or causes of concern, "
        "with their labels (for example Rec 02: or AFI LEVEL 3 #29550).",
        max_length=MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Paste the findings from the report"},
    )
    kind = forms.ChoiceField(
        label="What are unlabelled findings?",
        help_text="Findings with a label or under a heading take their kind from it.",
        choices=FindingKind.choices,
        initial=FindingKind.RECOMMENDATION,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what unlabelled findings are"},
    )


_WIDTHS = {"reference": 10, "hmicfrs_number": 5, "level": 2}


class FindingRowForm(GovukModelForm):
    """One parsed finding, as an editable row of the preview table, checked as a finding of
    `inspection` would be (its due date against the report's) when it is to be added."""

    include = forms.BooleanField(label="Add this finding", required=False, initial=True)

    class Meta(GovukModelForm.Meta):
        model = Finding
        fields = ROW_FIELDS
        labels = {
            "reference": "Reference",
            "due_precision": "Timing",
            "due_phrase": "Timing as worded",
            "text": "Wording",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            # GOV.UK advises text inputs for numbers: type=number mangles and spins them.
            "hmicfrs_number": forms.TextInput(attrs={"inputmode": "numeric"}),
            "level": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "kind": {"required": "Select what kind of finding it is"},
            "due_precision": {"required": "Select the timing of the finding"},
        }

    def __init__(self, *args, inspection: Inspection, **kwargs):
        kwargs.setdefault("instance", Finding(inspection=inspection))
        super().__init__(*args, **kwargs)
        # Rows left out need nothing filled in; clean() asks for the text of included rows.
        self.fields["text"].required = False
        self.fields["kind"].choices = FindingKind.choices
        # The column headings and labels say enough; a hint in every row would crowd the table
        # (the date's example is in its column heading: findings_preview.html).
        for field in self.fields.values():
            field.help_text = ""
        for name, width in _WIDTHS.items():
            self.fields[name].widget.attrs["class"] = f"govuk-input--width-{width}"

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            return data
        if not (data.get("text") or "").strip():
            self.add_error("text", "Enter the wording of the finding, or do not add it")
        # A date typed into a row read as undated means the row has a date after all.
        if data.get("due_date") and data.get("due_precision") == DuePrecision.NONE:
            data["due_precision"] = DuePrecision.DAY
        if not data.get("due_date") and data.get("due_precision") not in (
            None,
            DuePrecision.NONE,
        ):
            self.add_error("due_date", "Enter the due date, or choose 'No date' as the timing")
        return data

    def _post_clean(self):
        # A row left out is not checked as a finding would be (Finding.clean).
        if self.cleaned_data.get("include"):
            super()._post_clean()

    def validate_constraints(self, exclude=None):
        # clean() words the due-date rule for this table; the model's constraint says the same.
        pass


# Each row posts 12 values (a date is three) and Django refuses more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) in one request with the formset's own few, so a paste
# holds at most 80 findings; reports rarely have more than 30.
MAX_ROWS = 80


class BaseFindingRowFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": f"Add at most {MAX_ROWS} findings at a time",
        "too_few_forms": "Add at least one finding",
        "missing_management_form": "The table of findings was not sent whole: paste the "
        "findings again",
    }


FindingRowFormSet = forms.formset_factory(
    FindingRowForm, formset=BaseFindingRowFormSet, extra=0, max_num=MAX_ROWS, validate_max=True
)


class ConfirmForm(OnceForm):
    """Adding the checked findings, once (inspections.submissions)."""
