"""Police and fire are different duties on every page, panel and figure (inspections.services)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections.models import InspectionType, Service
from responses import publishing, workflow
from responses.models import Publication
from responses.rendering import render_statement_html
from tests.downloads import csv_rows
from tests.factories import make_finding, make_inspection, make_publication

D = datetime.date
TODAY = D(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def fire(drafter):
    inspection = make_inspection(
        title="Fire and rescue inspection",
        service=Service.FIRE,
        inspection_type=InspectionType.FIRE,
        published_on=TODAY - datetime.timedelta(days=20),
    )
    make_finding(
        inspection,
        reference="Rec 01",
        text="The service should make sure that every fire safety audit is recorded.",
        addressee="the service",
    )
    return workflow.start_response(inspection=inspection, actor=drafter)


@pytest.fixture
def police(drafter):
    inspection = make_inspection(
        title="Police inspection", published_on=TODAY - datetime.timedelta(days=20)
    )
    make_finding(inspection, reference="Rec 01")
    return workflow.start_response(inspection=inspection, actor=drafter)


def test_the_staff_page_of_a_fire_response_names_the_chief_fire_officer(client, fire, drafter):
    client.force_login(drafter)
    page = client.get(reverse("response-detail", args=[fire.pk])).content.decode()
    assert "The chief fire officer&#x27;s comments" in page
    assert "chief constable" not in page.lower()
    assert "Publish an action plan" in page and "s.55(6)" not in page
    form = client.get(reverse("response-section-edit", args=[fire.pk, "chief-constable"]))
    text = form.content.decode()
    assert "Date the chief fire officer&#x27;s comments were requested" in text
    assert "chief constable" not in text.lower()


def test_the_staff_page_of_a_police_response_keeps_the_chief_constable(client, police, drafter):
    client.force_login(drafter)
    page = client.get(reverse("response-detail", args=[police.pk])).content.decode()
    assert "The chief constable&#x27;s comments" in page
    assert "s.55(4)" in page and "s.55(6)" in page


def test_the_statement_of_a_fire_response_speaks_of_the_fire_service(fire):
    html = render_statement_html(fire, draft=True)
    assert "The chief fire officer's comments" in html
    assert "Fire and Rescue Service Response" in html
    assert "chief constable" not in html.lower()


def test_fire_recommendations_need_no_s55_5b_explanation_police_ones_do(
    client, fire, police, drafter
):
    client.force_login(drafter)
    for response, needed in ((fire, False), (police, True)):
        page = client.get(reverse("response-detail", args=[response.pk])).content.decode()
        assert ("Explain the action taken or proposed on Rec 01" in page) is needed


def _published(response, publisher, **fields):
    return make_publication(response, publisher, published_on=TODAY, **fields)


def test_no_onward_copies_are_asked_for_a_fire_report(client, fire, police, publisher):
    fire_publication = _published(fire, publisher)
    _published(police, publisher)
    assert list(Publication.objects.awaiting_onward_copies()) == [police.publications.get()]
    client.force_login(publisher)
    panel = client.get(reverse("deadline-list"), {"panel": "copies"}).content.decode()
    assert "Police inspection" in panel and "Fire and rescue inspection" not in panel
    with pytest.raises(publishing.PublishError, match="police reports only"):
        publishing.record_onward_copy(
            publication=fire_publication, recipient="hmicfrs", sent_on=TODAY, by=publisher
        )
    page = client.get(reverse("response-publications", args=[fire.pk])).content.decode()
    assert "Not owed" in page and "Record copy sent" not in page


def test_the_on_time_record_counts_police_and_fire_apart(client, fire, police, publisher):
    _published(police, publisher)
    _published(fire, publisher, deadline_last_day=TODAY + datetime.timedelta(days=30))
    page = client.get(reverse("public-on-time")).content.decode()
    police_part = page[page.index('id="police"') : page.index('id="fire"')]
    fire_part = page[page.index('id="fire"') :]
    assert "Police inspection" in police_part and "Fire and rescue inspection" not in police_part
    assert "Fire and rescue inspection" in fire_part and "Police inspection" not in fire_part
    assert "statutory 56 days" in police_part and "local target" in fire_part


def test_the_dashboard_figures_count_police_and_fire_apart(client, fire, police, publisher):
    _published(police, publisher)
    _published(fire, publisher, deadline_last_day=TODAY + datetime.timedelta(days=30))
    client.force_login(publisher)
    page = client.get(reverse("dashboard")).content.decode()
    police_part = page[page.index('id="compliance-police"') : page.index('id="compliance-fire"')]
    fire_part = page[page.index('id="compliance-fire"') :]
    assert "statutory 56 days" in police_part and "1 of 1 on time (100%)" in police_part
    assert "local target" in fire_part and "1 of 1 on time (100%)" in fire_part


def test_open_data_says_which_deadline_each_response_had(client, fire, police, publisher):
    _published(police, publisher)
    _published(fire, publisher, deadline_last_day=None)
    rows = csv_rows(client.get(reverse("public-open-data-csv")))
    assert {row["title"]: row["deadline_kind"] for row in rows} == {
        "Police inspection": "statutory",
        "Fire and rescue inspection": "none",
    }
