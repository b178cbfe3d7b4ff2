"""Staff pages for previewing, publishing and recording onward copies of statements."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from inspections.pdf import RenderError
from inspections.submissions import OnceForm, once, posted_before
from pfcc.date_input import DateField
from responses import publishing, workflow
from responses.models import ONWARD_RECIPIENTS, Publication, Response, Status
from responses.publishing import PublishError
from responses.rendering import render_statement_html, render_statement_pdf, statement_body


def _get_response(pk: int) -> Response:
    return get_object_or_404(Response.objects.select_related("inspection"), pk=pk)


def _get_publication(pk: int) -> Publication:
    return get_object_or_404(Publication.objects.select_related("response__inspection"), pk=pk)


@never_cache
@login_required
@permission_required("responses.view_response", raise_exception=True)
def preview(request, pk: int):
    response = _get_response(pk)
    statement = statement_body(render_statement_html(response, draft=True))
    return render(request, "responses/preview.html", {"response": response, "statement": statement})


@never_cache
@login_required
@permission_required("responses.view_response", raise_exception=True)
def preview_pdf(request, pk: int):
    response = _get_response(pk)
    try:
        pdf = render_statement_pdf(render_statement_html(response, draft=True))
    except RenderError as error:
        messages.error(request, f"The PDF preview could not be made: {error}")
        return redirect("response-preview", pk=pk)
    download = HttpResponse(pdf, content_type="application/pdf")
    download["Content-Disposition"] = f'inline; filename="DRAFT-response-{pk}.pdf"'
    return download


def _limit(name: str) -> int:
    return Publication._meta.get_field(name).max_length


class PublishForm(OnceForm):
    # Not a model form: a publication is made by publishing alone (responses.publishing).
    amendment_note = forms.CharField(
        label="What changed in this version",
        help_text="Shown to readers beside this version, for example 'Corrected the date of "
        "recommendation 4'.",
        max_length=_limit("amendment_note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what changed in this version"},
    )
    late_reason = forms.CharField(
        label="Why this response is published after its deadline",
        help_text="Shown to readers in the statement and on the record of timeliness.",
        max_length=_limit("late_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this response is published after its deadline"},
    )

    def __init__(self, *args, amendment: bool, late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if amendment:
            self.fields["amendment_note"].required = True
        else:
            del self.fields["amendment_note"]
        if late:
            self.fields["late_reason"].required = True
        else:
            del self.fields["late_reason"]


@login_required
@permission_required("responses.publish_response", raise_exception=True)
def publish(request, pk: int):
    response = _get_response(pk)
    if request.method == "POST" and (published := posted_before(request.POST, request.user)):
        return redirect(published)
    previous = response.publications.order_by("-version").first()
    late = publishing.is_late_if_published_today(response)
    data = request.POST if request.method == "POST" else None
    form = PublishForm(data, amendment=previous is not None, late=late)
    if request.method == "POST" and form.is_valid() and response.status == Status.APPROVED:

        def create() -> str:
            publication = workflow.response_publish(
                response=response,
                by=request.user,
                amendment_note=form.cleaned_data.get("amendment_note", ""),
                late_reason=form.cleaned_data.get("late_reason", ""),
            )
            messages.success(
                request, f"Version {publication.version} is published on the public site."
            )
            return reverse("response-publications", args=[pk])

        try:
            return redirect(
                once(key=form.cleaned_data["submission"], user=request.user, create=create)
            )
        except workflow.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
            # Someone may have published meanwhile: show the response as it is now.
            response = _get_response(pk)
            previous = response.publications.order_by("-version").first()
    ctx = {
        "response": response,
        "form": form,
        "previous": previous,
        "late": late,
        "approved": response.status == Status.APPROVED,
        "deadline": response.inspection.deadline(),
    }
    return render(request, "responses/publish.html", ctx, status=400 if form.errors else 200)


class OnwardCopyForm(OnceForm):
    recipient = forms.ChoiceField(
        label="Recipient",
        choices=list(ONWARD_RECIPIENTS.items()),
        widget=forms.HiddenInput,
        error_messages={"required": "Choose who the copy was sent to"},
    )
    sent_on = DateField()

    def __init__(self, *args, publication: Publication, recipient: str, **kwargs):
        kwargs.setdefault("auto_id", f"copy-{publication.pk}-{recipient}-%s")
        kwargs.setdefault("initial", {"recipient": recipient})
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].label = publishing.onward_copy_label(recipient)
        self.fields["sent_on"].error_messages["required"] = (
            f"Enter the date the copy was sent to {ONWARD_RECIPIENTS[recipient]}"
        )


def _publications_page(
    request, response: Response, failed: OnwardCopyForm | None = None, errors=()
):
    publications = list(
        response.publications.select_related(
            "published_by", "sent_to_hmicfrs_by", "sent_to_home_secretary_by"
        ).order_by("-version")
    )
    can_record = request.user.has_perm("responses.publish_response")
    for publication in publications:
        # (recipient, name, date sent, sent by, the form to record it while it is not recorded)
        publication.copies = [
            (
                key,
                name,
                sent_on,
                sent_by,
                None
                if sent_on or not can_record
                else failed
                if failed is not None
                and failed.auto_id == f"copy-{publication.pk}-{key}-%s"
                else OnwardCopyForm(publication=publication, recipient=key),
            )
            for key, name, sent_on, sent_by in publication.onward_copies
        ]
    ctx = {"failed": failed, "errors": errors, "response": response, "publications": publications}
    status = 400 if failed or errors else 200
    return render(request, "responses/publications.html", ctx, status=status)


@login_required
@permission_required("responses.view_response", raise_exception=True)
def publications(request, pk: int):
    return _publications_page(request, _get_response(pk))


@require_POST
@login_required
@permission_required("responses.publish_response", raise_exception=True)
def record_onward_copy(request, pk: int):
    publication = _get_publication(pk)
    recipient = request.POST.get("recipient", "")
    if recipient not in ONWARD_RECIPIENTS:
        # Only a changed page posts another: nothing to show the error beside.
        problem = "Choose who the copy was sent to: reload the page and try again"
        return _publications_page(request, publication.response, errors=[problem])
    form = OnwardCopyForm(request.POST, publication=publication, recipient=recipient)
    if form.is_valid():

        def create() -> str:
            publishing.record_onward_copy(
                publication=publication,
                by=request.user,
                recipient=recipient,
                sent_on=form.cleaned_data["sent_on"],
            )
            messages.success(request, f"Recorded the copy sent to {ONWARD_RECIPIENTS[recipient]}.")
            return reverse("response-publications", args=[publication.response_id])

        try:
            return redirect(
                once(key=form.cleaned_data["submission"], user=request.user, create=create)
            )
        except PublishError as error:
            form.add_error(error.field or None, str(error))
    return _publications_page(request, publication.response, form)
