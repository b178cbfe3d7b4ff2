from django import forms

from inspections import evidence
from inspections.models import Finding, Inspection, InspectionType, Service
from inspections.submissions import OnceForm
from pfcc.filters import FilterForm, SearchField
from pfcc.forms import GovukForm, GovukModelForm

NO_RESPONSE = "none"


class VersionedForm(GovukForm):
    # The version the form was loaded from: saving over a newer one may show a conflict
    # (inspections.concurrency). Missing (an add form, or a tampered post) reads as unknown,
    # which shows any existing row as a conflict rather than an error on a hidden field.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several evidence files chosen at once, each checked by inspections.evidence's rules."""

    widget = MultipleFileInput
    MAX_FILES = 10

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Up to {self.MAX_FILES} documents or images, each up to 20 MB: {evidence.ACCEPTED}.",
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [
            super(EvidenceFilesField, self).clean(upload)
            for upload in (data if isinstance(data, list | tuple) else [data])
            if upload
        ]
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        label = self.label or "Each file"
        if len(uploads) > self.MAX_FILES:
            raise forms.ValidationError(f"{label}: choose {self.MAX_FILES} files or fewer")
        for upload in uploads:
            if problem := evidence.upload_problem(upload, label=f"“{upload.name}”"):
                raise forms.ValidationError(problem)
        return uploads


def _response_status_choices():
    # The response's states, read from its model so that this app need not import it.
    status = Inspection._meta.get_field("response").related_model._meta.get_field("status")
    return [("", "Any"), (NO_RESPONSE, "No response yet"), *status.choices]


def service_filter() -> forms.ChoiceField:
    return forms.ChoiceField(label="Service", choices=[("", "Police and fire"), *Service.choices])


class InspectionFilterForm(FilterForm):
    q = SearchField(label="Search by title or HMICFRS number")
    inspection_type = forms.ChoiceField(
        label="Type", choices=[("", "Any"), *InspectionType.choices]
    )
    service = forms.ChoiceField(choices=[("", "Any"), *Service.choices])
    status = forms.ChoiceField(label="Response status", choices=[])
    year = forms.TypedChoiceField(label="Year published", coerce=int, empty_value=None, choices=[])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _response_status_choices()
        self.fields["year"].choices = [("", "Any"), *((y, str(y)) for y in years)]

    def filter(self, queryset):
        data = self.values
        queryset = queryset.search(data["q"])
        if data["inspection_type"]:
            queryset = queryset.filter(inspection_type=data["inspection_type"])
        if data["service"]:
            queryset = queryset.filter(service=data["service"])
        if data["status"] == NO_RESPONSE:
            queryset = queryset.filter(response__isnull=True)
        elif data["status"]:
            queryset = queryset.filter(response__status=data["status"])
        if data["year"]:
            queryset = queryset.filter(published_on__year=data["year"])
        return queryset


class InspectionForm(OnceForm, VersionedForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Inspection
        fields = [
            "title",
            "hmicfrs_number",
            "published_on",
            "inspection_type",
            "service",
            "force_inspected",
            "report_url",
            "key_findings",
        ]
        widgets = {
            "key_findings": forms.Textarea(attrs={"rows": 6}),
            # GOV.UK advises text inputs for numbers: type=number mangles and spins them.
            "hmicfrs_number": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}
            ),
        }
        error_messages = {
            "title": {"required": "Enter the title of the report"},
            "published_on": {"required": "Enter the date HMICFRS published the report"},
            "inspection_type": {"required": "Select the type of inspection"},
            "service": {"required": "Select the service that was inspected"},
        }


class FindingForm(OnceForm, VersionedForm, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Finding
        fields = [
            "kind",
            "reference",
            "hmicfrs_number",
            "text",
            "addressee",
            "due_precision",
            "due_date",
            "due_phrase",
            "applies",
            "not_applicable_reason",
        ]
        labels = {
            "text": "Wording of the finding",
            "applies": "This finding applies to our force",
            "not_applicable_reason": "Why it does not apply to our force",
        }
        help_texts = {
            "not_applicable_reason": "Needed when the finding does not apply, for example "
            "“Addressed to the Home Office only”.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "hmicfrs_number": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}
            ),
            "not_applicable_reason": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "kind": {"required": "Select what kind of finding it is"},
            "text": {"required": "Enter the wording of the finding"},
            "due_precision": {"required": "Select the timing of the finding"},
        }

    # Asked for only when the finding does not apply; clean() says so.
    needed_later = ("not_applicable_reason",)

    def clean(self):
        data = super().clean()
        if data.get("applies") is False and not (data.get("not_applicable_reason") or "").strip():
            self.add_error(
                "not_applicable_reason", "Say why the finding does not apply to our force"
            )
        if data.get("due_precision") not in (None, "none") and not data.get("due_date"):
            self.add_error("due_date", "Enter the due date, or choose “No date” for the timing")
        return data

    def validate_constraints(self):
        # clean() has said what the database constraints would, next to the right fields.
        if not self.errors:
            super().validate_constraints()
