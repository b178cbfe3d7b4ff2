import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Inspection, OfficeSettings
from pfcc import audit
from pfcc.admin_site import BoundedSearch, bounded
from pfcc.models import OrganisationAccount, SignInRecord
from responses import roles
from tests.factories import make_finding, make_response

# Written once and never changed (pfcc/models.py): read-only in the admin, with no history.
WRITTEN_ONCE = {SignInRecord, OrganisationAccount}


def project_models():
    for app_label in ("inspections", "responses", "pfcc"):
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin_with_its_history(model, rf, admin_user):
    assert model in admin.site._registry, f"{model.__name__} is not in the admin"
    model_admin = admin.site._registry[model]
    if model in WRITTEN_ONCE:
        request = rf.get("/")
        request.user = admin_user
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    else:
        assert isinstance(model_admin, SimpleHistoryAdmin)


@pytest.mark.django_db
def test_the_admin_shows_history_pages(admin_client):
    response = make_response()
    finding = make_finding(response.inspection)
    for obj in (response, response.inspection, finding, OfficeSettings.load()):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])
        page = admin_client.get(url)
        assert page.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m.__name__)
def test_every_admin_list_searches(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    page = admin_client.get(url, {"q": "organised"})
    assert page.status_code == 200, url
    assert admin.site._registry[model].search_fields, f"{model.__name__} has no search"


def test_every_admin_list_bounds_its_search_including_django_and_third_party_ones():
    unbounded = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, BoundedSearch)
    ]
    assert unbounded == []


def test_a_search_keeps_its_first_words_and_characters():
    assert bounded('one "two three" four') == 'one "two three" four'
    assert bounded(" ".join(f"w{n}" for n in range(100))) == "w0 w1 w2 w3 w4 w5 w6 w7"
    assert len(bounded("x" * 10_000)) == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", [User, Inspection], ids=lambda m: m.__name__)
def test_a_search_of_20000_words_runs_a_small_query_and_says_so(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(url, {"q": " ".join(["organised"] * 20_000)})
    assert page.status_code == 200
    assert "Only the first 8 words" in page.content.decode()
    assert max(len(query["sql"]) for query in queries.captured_queries) < 20_000


@pytest.fixture
def records(drafter, rf):
    audit.record(
        rf.get("/", REMOTE_ADDR="192.0.2.7"),
        kind=audit.Kind.SIGNED_IN,
        via=audit.Via.PASSWORD,
        user=drafter,
    )
    audit.record(
        rf.get("/", REMOTE_ADDR="198.51.100.9"),
        kind=audit.Kind.REFUSED,
        via=audit.Via.SSO,
        username="vic.visitor@opfcc.example",
        provider="https://login.microsoftonline.com/tenant/v2.0",
        detail="No office role in the 'roles' claim: []",
    )


@pytest.mark.django_db
def test_administrators_read_the_sign_in_records_searched_and_filtered(
    client, administrator, records
):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:pfcc_signinrecord_changelist")

    everything = client.get(url).content.decode()
    refused = client.get(url, {"kind__exact": "refused"}).content.decode()
    searched = client.get(url, {"q": "198.51.100.9"}).content.decode()

    assert "vic.visitor@opfcc.example" in everything and "dana" in everything
    assert "vic.visitor@opfcc.example" in refused and ">dana<" not in refused
    assert "1 result (" in searched and "vic.visitor@opfcc.example" in searched
    record = SignInRecord.objects.get(kind="refused")
    change = reverse("admin:pfcc_signinrecord_change", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"detail": "Nothing happened"}).status_code == 403
    assert client.post(change.replace("change", "delete"), {"post": "yes"}).status_code == 403


@pytest.mark.django_db
def test_role_changes_in_the_user_admin_are_recorded_with_who_made_them(
    admin_client, admin_user, drafter
):
    url = reverse("admin:auth_user_change", args=[drafter.pk])
    form = {
        "username": drafter.username,
        "first_name": drafter.first_name,
        "last_name": "",
        "email": drafter.email,
        "is_active": "on",
        "groups": [Group.objects.get(name=roles.REVIEWER).pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "organisation_accounts-TOTAL_FORMS": "0",
        "organisation_accounts-INITIAL_FORMS": "0",
        "force_contributor-TOTAL_FORMS": "0",
        "force_contributor-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, form)
    admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()
    record = SignInRecord.objects.get()
    assert (record.kind, record.via, record.user, record.changed_by) == (
        "roles_changed",
        "admin",
        drafter,
        admin_user,
    )
    assert (record.previous_roles, record.roles) == ("Drafter", "Reviewer")
