"""Every form of the project, found by walking its modules, and every admin form of its models.

A form added later is covered at once: it must say what to do in its own words (no message of
Django's reaches a person), take dates in the GOV.UK date input, and never accept text its
database column would refuse.
"""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import validators
from django.db import models
from django.forms import fields as form_fields
from django.forms import models as model_forms
from django.forms.formsets import BaseFormSet
from django.test import RequestFactory

import inspections
import pfcc
import responses
from inspections import deadlines, services
from inspections.forms import FindingForm, InspectionForm
from inspections.intake_forms import FindingRowForm, FindingRowFormSet
from inspections.models import Finding, Inspection, TargetRevision
from inspections.tracking_forms import TargetRevisionForm
from pfcc.date_input import DateField
from pfcc.filters import FilterForm
from pfcc.forms import PersonChoiceField
from responses.forms import section_form_class
from responses.models import Publication
from responses.sections import RESPONSE_SECTIONS
from tests.factories import make_finding, make_inspection

PACKAGES = (inspections, responses, pfcc)
# What some forms need to be made; each is made with every choice that changes its fields.
KWARGS = {
    "PublishForm": [{"amendment": True, "late": True}],
    "OnwardCopyForm": [
        {"publication": Publication(pk=1), "recipient": recipient}
        for recipient in ("hmicfrs", "home_secretary")
    ],
    "ActionForm": [{"action": "approve"}, {"action": "request_changes", "reason_required": True}],
    "AnswerForm": [{}, {"needed_for_approval": True}],
    "FindingRowForm": [{"inspection": Inspection()}],
    "CommentForm": [{"sections": ["", "commissioner"]}],
    "CommentsForm": [{"rules": rules} for rules in services.ALL],
    "InvitationForm": [
        {"window": window, "rules": rules, "people": User.objects.none()}
        for rules in services.ALL
        for window in (
            None,
            deadlines.comments_window(
                on=datetime.date(2026, 3, 2),
                deadline=deadlines.Deadline(datetime.date(2026, 4, 1), True, "s.55(5A)"),
                default_days=14,
                min_days=5,
                office_days=14,
            ),
        )
    ],
}


def _kwargs(form_class) -> list[dict]:
    if issubclass(form_class, FilterForm):
        return [{"query": {}}]  # filters are always bound to the query string
    return KWARGS.get(form_class.__name__, [{}])


def _project_modules():
    for package in PACKAGES:
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                yield importlib.import_module(info.name)


def _form_classes() -> list[type[forms.BaseForm]]:
    classes = {
        cls
        for module in _project_modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    }
    # Model forms without a model are bases for the others.
    concrete = [c for c in classes if getattr(getattr(c, "_meta", None), "model", True)]
    made = [
        section_form_class(section, rules)
        for section in RESPONSE_SECTIONS.values()
        for rules in services.ALL
    ]
    return sorted(concrete, key=lambda c: c.__qualname__) + made


FORM_CLASSES = _form_classes()


def _forms() -> list:
    return [
        pytest.param(form_class, kwargs, id=f"{form_class.__name__}{kwargs or ''}")
        for form_class in FORM_CLASSES
        for kwargs in _kwargs(form_class)
    ]


def _django_messages() -> set[str]:
    messages = set()
    for module in (form_fields, model_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            messages |= {str(m) for m in getattr(cls, "default_error_messages", {}).values()}
    for _, cls in inspect.getmembers(validators, inspect.isclass):
        if isinstance(getattr(cls, "message", None), str | type(validators.URLValidator.message)):
            messages.add(str(cls.message))
    messages |= {str(m) for m in BaseFormSet.default_error_messages.values()}
    return messages - {""}


DJANGO_MESSAGES = _django_messages()


def test_the_walk_finds_the_forms():
    names = {form_class.__name__ for form_class in FORM_CLASSES}
    assert {"InspectionForm", "FindingRowForm", "CommentForm", "OnwardCopyForm"} <= names
    assert "This field is required." in DJANGO_MESSAGES


def _messages_shown(field: forms.Field) -> dict[str, str]:
    """Each message the field can show a person, by code."""
    shown = {code: str(message) for code, message in field.error_messages.items()}
    for validator in field.validators:
        code = getattr(validator, "code", None)
        if code and code not in field.error_messages:
            shown[code] = str(validator.message)
    if not field.required:
        shown.pop("required", None)
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), _forms())
def test_no_django_message_reaches_a_person(form_class, kwargs):
    form = form_class(**kwargs)

    defaults = {
        f"{name}.{code}: {message!r}"
        for name, field in form.fields.items()
        for code, message in _messages_shown(field).items()
        if message in DJANGO_MESSAGES
    }

    assert defaults == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), _forms())
def test_each_required_field_names_itself(form_class, kwargs):
    form = form_class(**kwargs)

    seen = {}
    for name, field in form.fields.items():
        if field.required and not field.widget.is_hidden:
            message = str(field.error_messages["required"])
            assert message not in DJANGO_MESSAGES, name
            assert message[0].isupper() and not message.endswith("."), message
            # One summary never says the same thing twice: each message names its field.
            assert seen.setdefault(message, name) == name, (message, seen[message], name)


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), _forms())
def test_dates_are_typed_into_the_govuk_date_input(form_class, kwargs):
    form = form_class(**kwargs)

    for name, field in form.fields.items():
        assert not isinstance(field, forms.DateField | forms.DateTimeField), name
        if isinstance(field, DateField):
            assert field.label, name


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), _forms())
def test_every_text_field_has_a_limit_and_no_label_says_optional_itself(form_class, kwargs):
    form = form_class(**kwargs)

    for name, field in form.fields.items():
        if type(field) is forms.CharField:
            assert field.max_length, f"{name} has no maximum"
        assert "(optional)" not in str(field.label or ""), name


def test_the_findings_table_has_its_own_messages():
    formset = FindingRowFormSet()

    assert not {str(m) for m in formset.error_messages.values()} & DJANGO_MESSAGES


# --- what a form may send to the database --------------------------------------------


def _admin_forms():
    """The admin's form for each of our models, and each inline's, as the admin makes them."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("inspections", "responses"):
            continue
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue  # read only: nothing is typed into it
        yield model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline.get_formset(request).form


def _model_forms():
    """(model, form class) for every model form of the project and of the admin."""
    for form_class in FORM_CLASSES:
        if issubclass(form_class, forms.ModelForm):
            for kwargs in _kwargs(form_class):
                yield form_class._meta.model, form_class, kwargs
    for model, form_class in _admin_forms():
        yield model, form_class, {}


def _text_limit_problems(model, form) -> list[str]:
    problems = []
    for name, field in form.fields.items():
        try:
            column = model._meta.get_field(name)
        except Exception:
            continue
        limit = getattr(field, "max_length", None)
        if isinstance(field, forms.ChoiceField):
            continue  # only its choices are taken
        if isinstance(column, models.CharField) and not column.choices:
            if limit is None or limit > column.max_length:
                problems.append(f"{model.__name__}.{name}: {limit} > {column.max_length}")
        if isinstance(column, models.TextField) and (
            limit is None or column.max_length is None or limit > column.max_length
        ):
            problems.append(f"{model.__name__}.{name}: {limit}, documented {column.max_length}")
    return problems


@pytest.mark.django_db
def test_no_form_accepts_text_its_column_would_refuse():
    problems = []
    for model, form_class, kwargs in _model_forms():
        problems += _text_limit_problems(model, form_class(**kwargs))

    assert problems == []


@pytest.mark.django_db
def test_every_model_text_field_a_form_edits_is_covered():
    edited = {
        (model, name)
        for model, form_class, kwargs in _model_forms()
        for name in form_class(**kwargs).fields
    }
    for model in (*apps.get_app_config("inspections").get_models(),
                  *apps.get_app_config("responses").get_models()):
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and (model, field.name) in edited:
                assert field.max_length, f"{model.__name__}.{field.name} has no documented limit"


@pytest.mark.django_db
def test_the_admin_takes_our_dates_in_the_govuk_date_input():
    for model, form_class in _admin_forms():
        for name, field in form_class().fields.items():
            assert not isinstance(field, forms.DateField), f"{model.__name__}.{name}"


# --- no form can make "Overdue by 46299 days" -------------------------------------------

LONG_AGO = {"day": "16", "month": "5", "year": "1899"}


def _long_ago(name: str, prefix: str = "") -> dict[str, str]:
    return {f"{prefix}{name}_{part}": value for part, value in LONG_AGO.items()}


def _admin_form(model):
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return admin.site._registry[model].get_form(request)


@pytest.mark.django_db
def test_no_form_dates_a_report_or_a_target_a_century_ago():
    """The clock's dates (a report's, a finding's due date, a revised target) are checked
    wherever they are typed: each form refuses 1899 next to the date."""
    inspection = make_inspection(published_on=datetime.date(2025, 5, 16))
    finding = make_finding(inspection)
    cases = {
        "inspection form": (InspectionForm(data=_long_ago("published_on")), "published_on"),
        "finding form": (
            FindingForm(
                data={**_long_ago("due_date"), "due_precision": "day"},
                instance=Finding(inspection=inspection),
            ),
            "due_date",
        ),
        "findings table": (
            FindingRowForm(
                data={**_long_ago("due_date"), "include": "on", "due_precision": "day"},
                inspection=inspection,
            ),
            "due_date",
        ),
        "target revision": (
            TargetRevisionForm(
                data=_long_ago("revised_date"), instance=TargetRevision(finding=finding)
            ),
            "revised_date",
        ),
        "admin inspection": (
            _admin_form(Inspection)(data=_long_ago("published_on")),
            "published_on",
        ),
        "admin finding": (
            _admin_form(Finding)(data={**_long_ago("due_date"), "inspection": inspection.pk}),
            "due_date",
        ),
        "admin revision": (
            _admin_form(TargetRevision)(data={**_long_ago("revised_date"), "finding": finding.pk}),
            "revised_date",
        ),
    }
    accepted = [name for name, (form, field) in cases.items() if not form.has_error(field)]

    assert accepted == []


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), _forms())
def test_people_are_chosen_by_full_name(form_class, kwargs):
    form = form_class(**kwargs)

    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) and field.queryset.model is User:
            assert isinstance(field, PersonChoiceField), name


@pytest.mark.django_db
def test_a_person_is_shown_by_full_name(drafter):
    drafter.last_name = "Jones"
    drafter.save()

    assert PersonChoiceField(User.objects.all()).label_from_instance(drafter) == "Dana Jones"
