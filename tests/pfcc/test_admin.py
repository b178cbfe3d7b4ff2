import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Inspection, OfficeSettings
from pfcc.admin_site import BoundedSearch, bounded
from tests.factories import make_finding, make_response


def project_models():
    for app_label in ("inspections", "responses"):
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin_with_its_history(model):
    assert model in admin.site._registry, f"{model.__name__} is not in the admin"
    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


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
