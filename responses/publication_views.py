"""Staff pages for previewing, publishing and recording onward copies of statements."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from inspections import deadlines
from inspections.pdf import RenderError
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


class PublishForm(forms.Form):
    amendment_note = forms.CharField(
        label="What changed in this version",
        help_text="Shown to readers beside this version, for example 'Corrected the date of "
        "recommendation 4'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    late_reason = forms.CharField(
        label="Why this response is published after its deadline",
        help_text="Shown to readers in the statement and on the record of timeliness.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
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
    previous = response.publications.order_by("-version").first()
    late = publishing.is_late_if_published_today(response)
    data = request.POST if request.method == "POST" else None
    form = PublishForm(data, amendment=previous is not None, late=late)
    if request.method == "POST" and form.is_valid() and response.status == Status.APPROVED:
        try:
            publication = workflow.response_publish(
                response=response, by=request.user, **form.cleaned_data
            )
        except workflow.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
            # Someone may have published meanwhile: show the response as it is now.
            response = _get_response(pk)
            previous = response.publications.order_by("-version").first()
        else:
            messages.success(
                request, f"Version {publication.version} is published on the public site."
            )
            return redirect("response-publications", pk=pk)
    ctx = {
        "response": response,
        "form": form,
        "previous": previous,
        "late": late,
        "approved": response.status == Status.APPROVED,
        "deadline": response.inspection.deadline(),
    }
    return render(request, "responses/publish.html", ctx)


def _publications_page(request, response: Response, error: dict | None = None):
    ctx = {
        "error": error,
        "response": response,
        "publications": response.publications.select_related(
            "published_by", "sent_to_hmicfrs_by", "sent_to_home_secretary_by"
        ).order_by("-version"),
        "today": deadlines.today(),
        "can_record": request.user.has_perm("responses.publish_response"),
    }
    return render(request, "responses/publications.html", ctx)


@login_required
@permission_required("responses.view_response", raise_exception=True)
def publications(request, pk: int):
    return _publications_page(request, _get_response(pk))


class OnwardCopyForm(forms.Form):
    recipient = forms.ChoiceField(choices=list(ONWARD_RECIPIENTS.items()))
    sent_on = forms.DateField(label="Date sent", input_formats=["%Y-%m-%d", "%d/%m/%Y"])


@require_POST
@login_required
@permission_required("responses.publish_response", raise_exception=True)
def record_onward_copy(request, pk: int):
    publication = _get_publication(pk)
    form = OnwardCopyForm(request.POST)
    message = "Enter the date the copy was sent, for example 2025-07-02."
    if form.is_valid():
        try:
            publishing.record_onward_copy(
                publication=publication, by=request.user, **form.cleaned_data
            )
        except PublishError as error:
            message = str(error)
        else:
            name = ONWARD_RECIPIENTS[form.cleaned_data["recipient"]]
            messages.success(request, f"Recorded the copy sent to {name}.")
            return redirect("response-publications", pk=publication.response_id)
    error = {
        "publication": publication.pk,
        "recipient": request.POST.get("recipient"),
        "message": message,
    }
    return _publications_page(request, publication.response, error)
