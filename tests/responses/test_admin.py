"""No admin page and no form changes a field the workflow owns; the admin's actions take the
workflow's own steps, with its checks."""

import inspect

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

import inspections.forms
import inspections.intake_forms
import inspections.tracking_forms
import pfcc.forms
import responses.dashboard_forms
import responses.forms
import responses.publication_views
from inspections import services
from inspections.admin import HistoryAdmin
from inspections.models import Finding, Inspection, OfficeSettings
from responses import workflow
from responses.forms import section_form_class
from responses.models import Comment, FindingResponse, Publication, Response, Status
from responses.sections import RESPONSE_SECTIONS
from tests.factories import make_finding, make_inspection, make_publication, make_response

# Set only by the tracker's own functions: the workflow's transitions and publishing
# (responses.workflow, responses.publishing), fire action plans (inspections.tracking), and
# the version every save bumps (inspections.concurrency).
OWNED = {
    Response: {"status", "version", "published_on", "imported", "inspection"},
    FindingResponse: {"version", "response", "finding"},
    Comment: {"resolved_at", "resolved_by", "author", "response"},
    Publication: {field.name for field in Publication._meta.concrete_fields},
    Inspection: {"version", "action_plan_published_on"},
    Finding: {"version"},
}
FORM_MODULES = [
    pfcc.forms,
    inspections.forms,
    inspections.intake_forms,
    inspections.tracking_forms,
    responses.forms,
    responses.dashboard_forms,
    responses.publication_views,
]


def _owned_fields_in(form_class) -> set[str]:
    """The owned model fields `form_class` edits (its own fields, such as the version an edit
    form was loaded from, are not the model's)."""
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    model_fields = set(form_class.base_fields) - set(form_class.declared_fields)
    return OWNED.get(model, set()) & model_fields


def _project_model_forms():
    for module in FORM_MODULES:
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.ModelForm) and value.__module__ == module.__name__:
                yield value
    for section in RESPONSE_SECTIONS.values():
        for rules in services.ALL:
            yield section_form_class(section, rules)


def test_no_form_edits_a_workflow_owned_field():
    offenders = {form.__name__: _owned_fields_in(form) for form in _project_model_forms()}
    assert {name: fields for name, fields in offenders.items() if fields} == {}


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@opfcc.example", "x")


@pytest.fixture
def records(db, publisher):
    """One saved row of every model with workflow-owned fields."""
    response = make_response(commissioner_comments="I welcome the report.")
    finding = make_finding(response.inspection)
    return {
        Response: response,
        FindingResponse: FindingResponse.objects.create(
            response=response, finding=finding, text="Done."
        ),
        Comment: Comment.objects.create(response=response, author=publisher, text="Why?"),
        Publication: make_publication(make_response(make_inspection()), publisher),
        Inspection: response.inspection,
        Finding: finding,
    }


@pytest.mark.parametrize("model", list(OWNED), ids=lambda m: m.__name__)
def test_no_admin_page_edits_a_workflow_owned_field(superuser, records, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    obj = records[model]
    form_classes = [model_admin.get_form(request, obj, change=True)]
    if model_admin.has_add_permission(request):
        form_classes.append(model_admin.get_form(request, None, change=False))
    for inline in model_admin.get_inline_instances(request, obj):
        # A read-only inline's forms never save (Django ignores their changes).
        if inline.has_change_permission(request, obj) or inline.has_add_permission(request, obj):
            form_classes.append(inline.get_formset(request, obj).form)
    for form_class in form_classes:
        assert not _owned_fields_in(form_class), form_class


def test_an_admin_cannot_post_a_response_straight_to_approved(client, superuser, records):
    response = records[Response]
    client.force_login(superuser)
    url = reverse("admin:responses_response_change", args=[response.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"status": Status.APPROVED, "commissioner_comments": "Changed."})
    assert page.status_code == 403
    response.refresh_from_db()
    assert response.status == Status.DRAFT and response.version == 1


PROJECT_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in ("inspections", "responses")
}


@pytest.mark.parametrize("model", list(PROJECT_ADMINS), ids=lambda m: m.__name__)
def test_every_history_page_is_for_reading(model):
    assert isinstance(PROJECT_ADMINS[model], HistoryAdmin)


@pytest.mark.parametrize("model", [*OWNED, OfficeSettings], ids=lambda m: m.__name__)
def test_no_history_page_reverts_a_record(client, superuser, records, model):
    obj = records.get(model) or OfficeSettings.load()
    client.force_login(superuser)
    record = obj.history.first()
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
        args=[obj.pk, record.history_id],
    )
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403


def _act(client, action, obj, model="response"):
    url = reverse(f"admin:responses_{model}_changelist")
    data = {"action": action, "index": 0, admin.helpers.ACTION_CHECKBOX_NAME: [obj.pk]}
    return client.post(url, data, follow=True)


def test_the_admin_approves_only_through_the_workflow_with_its_checks(
    client, superuser, records, drafter
):
    response = records[Response]
    workflow.submit(response=response, actor=drafter)
    client.force_login(superuser)
    page = _act(client, "workflow_approve", response).content.decode()
    # A review comment is open: approval's own check refuses it.
    assert "Resolve the open review comments (1) before approving" in page
    response.refresh_from_db()
    assert response.status == Status.IN_REVIEW
    workflow.resolve_comment(comment=records[Comment], actor=drafter)
    _act(client, "workflow_approve", response)
    response.refresh_from_db()
    assert response.status == Status.APPROVED
    assert response.history.latest().history_user == superuser


def test_comments_are_resolved_in_the_admin_never_deleted(client, superuser, records):
    comment = records[Comment]
    client.force_login(superuser)
    assert _act(client, "delete_selected", comment, "comment").status_code == 200
    assert Comment.objects.filter(pk=comment.pk).exists()
    _act(client, "resolve", comment, "comment")
    comment.refresh_from_db()
    assert comment.resolved_by == superuser
