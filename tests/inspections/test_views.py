"""The inspection pages: list, filters, forms, findings and history."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections.models import Finding, Inspection, OfficeSettings, Service
from responses import workflow
from tests.factories import make_finding, make_inspection

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def inspection():
    return make_inspection(title="Police response to burglary")


GET_PAGES = [
    ("inspection-list", lambda i: [], "reviewer"),
    ("inspection-detail", lambda i: [i.pk], "reviewer"),
    ("inspection-history", lambda i: [i.pk], "reviewer"),
    ("inspection-create", lambda i: [], "drafter"),
    ("inspection-edit", lambda i: [i.pk], "drafter"),
    ("finding-add", lambda i: [i.pk], "drafter"),
    ("finding-edit", lambda i: [make_finding(i).pk], "drafter"),
    ("finding-delete", lambda i: [make_finding(i).pk], "drafter"),
]


@pytest.mark.parametrize(("name", "args", "allowed"), GET_PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, inspection, name, args, allowed):
    got = client.get(reverse(name, args=args(inspection)))
    assert got.status_code == 302 and got.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args", "allowed"), GET_PAGES)
def test_users_without_the_role_get_403(client, inspection, outsider, name, args, allowed):
    assert login(client, outsider).get(reverse(name, args=args(inspection))).status_code == 403


@pytest.mark.parametrize(("name", "args", "allowed"), GET_PAGES)
def test_pages_show_to_their_role(client, request, inspection, name, args, allowed):
    login(client, request.getfixturevalue(allowed))
    assert client.get(reverse(name, args=args(inspection))).status_code == 200


def test_reviewers_cannot_change_inspections(client, inspection, reviewer):
    login(client, reviewer)
    assert client.get(reverse("inspection-edit", args=[inspection.pk])).status_code == 403
    assert client.get(reverse("finding-add", args=[inspection.pk])).status_code == 403


def test_moving_a_finding_refuses_get(client, inspection, drafter):
    finding = make_finding(inspection)
    got = login(client, drafter).get(reverse("finding-move", args=[finding.pk, "up"]))
    assert got.status_code == 405


@time_machine.travel(datetime.date(2025, 6, 1))
def test_the_list_is_sorted_by_deadline_with_clock_labels(client, reviewer):
    make_inspection(title="Later report", published_on=datetime.date(2025, 5, 20))
    make_inspection(title="Sooner report", published_on=datetime.date(2025, 5, 1))
    make_inspection(
        title="Blaze report", service=Service.FIRE, published_on=datetime.date(2025, 5, 10)
    )
    page = login(client, reviewer).get(reverse("inspection-list")).text
    assert page.index("Sooner report") < page.index("Blaze report") < page.index("Later report")
    assert "Due in 24 days" in page  # 1 May + 55 days = 25 June


def test_answered_inspections_follow_open_ones(client, reviewer, drafter):
    old = make_inspection(title="Answered report", published_on=datetime.date(2025, 1, 1))
    make_inspection(title="Still open report", published_on=datetime.date(2025, 5, 1))
    response = workflow.start_response(inspection=old, actor=drafter)
    type(response).objects.filter(pk=response.pk).update(
        status="published", published_on=datetime.date(2025, 2, 1)
    )
    page = login(client, reviewer).get(reverse("inspection-list")).text
    assert page.index("Still open report") < page.index("Answered report")


def test_the_list_filters_and_searches(client, reviewer, drafter):
    make_inspection(title="Custody", hmicfrs_number=123, published_on=datetime.date(2024, 3, 1))
    fire = make_inspection(title="Fire safety", service=Service.FIRE)
    workflow.start_response(inspection=fire, actor=drafter)
    login(client, reviewer)

    def titles(**query):
        got = client.get(reverse("inspection-list"), query)
        return [row[0].title for row in got.context["rows"]]

    assert titles(q="123") == ["Custody"]
    assert titles(service="fire") == ["Fire safety"]
    assert titles(status="draft") == ["Fire safety"]
    assert titles(status="none") == ["Custody"]
    assert titles(year="2024") == ["Custody"]


def test_the_list_is_paginated(client, reviewer):
    for n in range(27):
        make_inspection(title=f"Report {n}")
    got = login(client, reviewer).get(reverse("inspection-list"), {"page": 2})
    assert len(got.context["rows"]) == 2
    assert "Previous" in got.text


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_holds_a_constant_number_of_queries(
    client, reviewer, drafter, rows, django_assert_num_queries
):
    for n in range(rows):
        inspection = make_inspection(title=f"Report {n}")
        if n % 2:
            workflow.start_response(inspection=inspection, actor=drafter)
    OfficeSettings.load()
    login(client, reviewer)
    # session, user, user's permissions (own and groups'), office settings (read once for the
    # view and the site-wide context processor), years for the filter, page count, the page of
    # inspections with their responses and owners.
    with django_assert_num_queries(8):
        client.get(reverse("inspection-list"))


def test_creating_an_inspection(client, drafter):
    got = login(client, drafter).post(
        reverse("inspection-create"),
        {
            "title": "An inspection of custody",
            "published_on": "2025-05-16",
            "inspection_type": "peel",
            "service": "police",
            "force_inspected": "on",
        },
    )
    inspection = Inspection.objects.get()
    assert got.url == inspection.get_absolute_url()
    assert inspection.history.first().history_user == drafter


def test_an_invalid_inspection_form_rerenders_with_errors(client, drafter):
    got = login(client, drafter).post(reverse("inspection-create"), {"title": ""})
    assert got.status_code == 400
    assert "There is a problem" in got.text


def test_adding_a_finding_puts_it_last(client, inspection, drafter):
    make_finding(inspection)
    login(client, drafter).post(
        reverse("finding-add", args=[inspection.pk]),
        {"kind": "recommendation", "text": "Do better.", "due_precision": "none", "applies": "on"},
    )
    assert list(inspection.findings.values_list("text", "order"))[-1] == ("Do better.", 2)


def test_a_finding_that_does_not_apply_needs_a_reason(client, inspection, drafter):
    got = login(client, drafter).post(
        reverse("finding-add", args=[inspection.pk]),
        {"kind": "recommendation", "text": "The Home Office should.", "due_precision": "none"},
    )
    assert got.status_code == 400
    assert "Say why the finding does not apply to our force" in got.text
    assert not Finding.objects.exists()


def test_marking_a_finding_not_applicable_with_a_reason(client, inspection, drafter):
    finding = make_finding(inspection)
    login(client, drafter).post(
        reverse("finding-edit", args=[finding.pk]),
        {
            "kind": "recommendation",
            "text": finding.text,
            "due_precision": "none",
            "not_applicable_reason": "For the Home Office only.",
            "version": finding.version,
        },
    )
    finding.refresh_from_db()
    assert not finding.applies
    assert finding.not_applicable_reason == "For the Home Office only."


def test_reordering_findings(client, inspection, drafter):
    first, second, third = (make_finding(inspection) for _ in range(3))
    login(client, drafter).post(reverse("finding-move", args=[third.pk, "up"]))
    assert list(inspection.findings.values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    client.post(reverse("finding-move", args=[first.pk, "up"]))  # already first: no change
    assert inspection.findings.first() == first


def test_removing_a_finding(client, inspection, drafter):
    finding = make_finding(inspection)
    login(client, drafter).post(
        reverse("finding-delete", args=[finding.pk]), {"version": finding.version}
    )
    assert not Finding.objects.exists()


def test_the_history_shows_inspection_and_finding_changes(client, inspection, drafter):
    finding = make_finding(inspection, text="Record every report.")
    login(client, drafter).post(
        reverse("finding-edit", args=[finding.pk]),
        {
            "kind": "recommendation",
            "text": "Record every crime report.",
            "due_precision": "none",
            "applies": "on",
            "version": finding.version,
        },
    )
    page = client.get(reverse("inspection-history", args=[inspection.pk])).text
    assert "[added: </span>crime" in page
    assert "Dana" in page


# --- two people editing at once ------------------------------------------------------------


def _inspection_data(inspection, **changes):
    data = {
        "title": inspection.title,
        "hmicfrs_number": inspection.hmicfrs_number,
        "published_on": inspection.published_on.isoformat(),
        "inspection_type": inspection.inspection_type,
        "service": inspection.service,
        "force_inspected": "on",
        "version": inspection.version,
    }
    return {**data, **changes}


def _finding_data(finding, **changes):
    data = {
        "kind": finding.kind,
        "reference": finding.reference,
        "text": finding.text,
        "addressee": finding.addressee,
        "due_precision": finding.due_precision,
        "applies": "on",
        "version": finding.version,
    }
    return {**data, **changes}


def test_the_edit_form_carries_the_version_it_was_loaded_from(client, inspection, drafter):
    page = login(client, drafter).get(reverse("inspection-edit", args=[inspection.pk])).text
    assert f'name="version" value="{inspection.version}"' in page


def test_two_people_changing_the_same_inspection_field_see_a_conflict(
    client, inspection, drafter, second_drafter
):
    url = reverse("inspection-edit", args=[inspection.pk])
    dana = _inspection_data(inspection, title="Dana's title")
    dev = _inspection_data(inspection, title="Dev's title")  # opened at the same version
    assert login(client, drafter).post(url, dana).status_code == 302

    got = login(client, second_drafter).post(url, dev)

    assert got.status_code == 409
    assert "Someone else changed this since you opened it" in got.text
    assert got.context["conflict"] == [
        {"label": "Title", "id": "id_title", "yours": "Dev's title", "saved": "Dana's title"}
    ]
    inspection.refresh_from_db()
    assert inspection.title == "Dana's title"
    # One change after the creation: nothing of Dev's was saved.
    assert inspection.history.count() == 2
    # The form keeps Dev's text and offers the version now seen, so the merge saves.
    assert 'value="Dev&#x27;s title"' in got.text
    assert f'name="version" value="{inspection.version}"' in got.text
    merged = _inspection_data(inspection, title="Dana's and Dev's title")
    assert client.post(url, merged).status_code == 302
    inspection.refresh_from_db()
    assert (inspection.title, inspection.version) == ("Dana's and Dev's title", 3)


def test_two_people_changing_different_inspection_fields_keep_both(
    client, inspection, drafter, second_drafter
):
    url = reverse("inspection-edit", args=[inspection.pk])
    dana = _inspection_data(inspection, title="A new title")
    dev = _inspection_data(inspection, report_url="https://hmicfrs.example/report")
    login(client, drafter).post(url, dana)

    got = login(client, second_drafter).post(url, dev)

    assert got.status_code == 302
    inspection.refresh_from_db()
    # Dev's form still held the old title, but Dana changed it, not Dev: it is kept.
    assert (inspection.title, inspection.report_url) == (
        "A new title",
        "https://hmicfrs.example/report",
    )
    assert [r.history_user for r in inspection.history.all()[:2]] == [second_drafter, drafter]


def test_saving_an_unchanged_inspection_writes_no_version(client, inspection, drafter):
    url = reverse("inspection-edit", args=[inspection.pk])
    assert login(client, drafter).post(url, _inspection_data(inspection)).status_code == 302
    assert inspection.history.count() == 1


def test_two_people_changing_the_same_finding_field_see_a_conflict(
    client, inspection, drafter, second_drafter
):
    finding = make_finding(inspection, text="Record every report.")
    url = reverse("finding-edit", args=[finding.pk])
    login(client, drafter).post(url, _finding_data(finding, text="Record every crime."))

    got = login(client, second_drafter).post(url, _finding_data(finding, text="Record all."))

    assert got.status_code == 409
    assert "Someone else changed this since you opened it" in got.text
    [row] = got.context["conflict"]
    assert (row["label"], row["yours"], row["saved"]) == (
        "Wording of the finding",
        "Record all.",
        "Record every crime.",
    )
    finding.refresh_from_db()
    assert finding.text == "Record every crime."
    assert finding.history.count() == 2


def test_two_people_changing_different_finding_fields_keep_both(
    client, inspection, drafter, second_drafter
):
    finding = make_finding(inspection)
    url = reverse("finding-edit", args=[finding.pk])
    login(client, drafter).post(url, _finding_data(finding, reference="Rec 9"))

    got = login(client, second_drafter).post(url, _finding_data(finding, addressee="The force"))

    assert got.status_code == 302
    finding.refresh_from_db()
    assert (finding.reference, finding.addressee, finding.version) == ("Rec 9", "The force", 3)


def test_removing_a_finding_changed_since_it_was_opened_is_refused(
    client, inspection, drafter, second_drafter
):
    finding = make_finding(inspection)
    opened = finding.version
    login(client, second_drafter).post(
        reverse("finding-edit", args=[finding.pk]), _finding_data(finding, text="New words.")
    )

    url = reverse("finding-delete", args=[finding.pk])
    got = login(client, drafter).post(url, {"version": opened})

    assert got.status_code == 409
    assert "Someone else changed this since you opened it" in got.text
    assert "The finding has not been removed" in got.text
    assert "New words." in got.text
    assert Finding.objects.filter(pk=finding.pk).exists()
    # Confirming again, having seen the new words, removes it.
    finding.refresh_from_db()
    assert f'name="version" value="{finding.version}"' in got.text
    assert client.post(url, {"version": finding.version}).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()


def test_a_removal_without_a_version_is_refused(client, inspection, drafter):
    finding = make_finding(inspection)
    got = login(client, drafter).post(reverse("finding-delete", args=[finding.pk]))
    assert got.status_code == 409
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_reordering_since_opening_does_not_stop_a_removal(client, inspection, drafter):
    first, second = make_finding(inspection), make_finding(inspection)
    opened = first.version
    login(client, drafter).post(reverse("finding-move", args=[second.pk, "up"]))
    first.refresh_from_db()
    assert first.version == opened + 1  # the move is a version, with its reason
    assert first.history.first().history_change_reason == "Reordered"

    got = client.post(reverse("finding-delete", args=[first.pk]), {"version": opened})

    assert got.status_code == 302
    assert not Finding.objects.filter(pk=first.pk).exists()


def test_a_search_for_a_superscript_digit_searches_titles(client, reviewer, inspection):
    login(client, reviewer)
    response = client.get(reverse("inspection-list"), {"q": "²"})
    assert response.status_code == 200
    assert "No inspections match." in response.content.decode()


def test_a_bad_filter_is_ignored_with_a_message_and_the_others_kept(client, reviewer, inspection):
    make_inspection(title="Fire safety", service=Service.FIRE, inspection_type="fire")
    login(client, reviewer)
    response = client.get(reverse("inspection-list"), {"year": "10000", "service": "fire"})
    page = response.content.decode()
    assert "Year published must be one of the options given. " in page
    assert "This filter was ignored." in page
    assert "Fire safety" in page and "Police response to burglary" not in page
