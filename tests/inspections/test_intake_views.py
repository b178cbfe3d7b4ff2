import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.messages import get_messages
from django.urls import reverse

from inspections.models import Finding
from responses.importer import REFERENCE_STATEMENTS_DIR
from tests.conftest import PASSWORD
from tests.factories import date_parts, make_finding, make_inspection

_STATEMENT = (REFERENCE_STATEMENTS_DIR / "003_ef88c498391f3a02.txt").read_text(encoding="utf-8")
# What staff copy from statement 003: its recommendations, HTML leftovers and all.
RECOMMENDATIONS_003 = _STATEMENT[
    _STATEMENT.index("Recommendations:") : _STATEMENT.index("PFCC & Constabulary")
]


@pytest.fixture
def inspection(db):
    return make_inspection(
        title="Improving the response to organised immigration crime",
        hmicfrs_number=None,
        published_on=datetime.date(2025, 5, 16),
    )


def _paste_url(inspection):
    return reverse("findings-paste", args=[inspection.pk])


def _confirm_url(inspection):
    return reverse("findings-confirm", args=[inspection.pk])


def _preview(client, inspection, text=RECOMMENDATIONS_003, kind="recommendation"):
    return client.post(_paste_url(inspection), {"text": text, "kind": kind})


def _posted_rows(preview) -> dict:
    """The preview's rows as the browser would post them back, unchanged."""
    formset = preview.context["formset"]
    data = {
        f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()
    }
    for form in formset:
        for name in form.fields:
            value = form.initial.get(name)
            if name == "due_date":
                data.update(date_parts(form.add_prefix(name), value) if value else {})
            elif name == "include":
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def _message(response) -> str:
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def test_signed_out_visitors_are_sent_to_sign_in(client, inspection):
    response = client.get(_paste_url(inspection))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["outsider", "reviewer", "publisher"])
def test_people_who_cannot_add_findings_are_refused(client, inspection, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_paste_url(inspection)).status_code == 403
    assert client.post(_confirm_url(inspection), {}).status_code == 403


def test_the_paste_page_asks_for_the_text_and_the_kind(client, drafter, inspection):
    client.force_login(drafter)

    response = client.get(_paste_url(inspection))

    assert response.status_code == 200
    assert b'<textarea name="text"' in response.content
    assert b'value="afi"' in response.content


def test_an_unknown_inspection_is_not_found(client, drafter, db):
    client.force_login(drafter)

    assert client.get(reverse("findings-paste", args=[999])).status_code == 404


def test_confirm_accepts_only_posts(client, drafter, inspection):
    client.force_login(drafter)

    assert client.get(_confirm_url(inspection)).status_code == 405


def test_an_empty_paste_is_refused_with_a_message(client, drafter, inspection):
    client.force_login(drafter)

    response = _preview(client, inspection, text="   ")

    assert response.status_code == 200
    assert "Paste the findings from the report" in response.text
    assert 'class="govuk-error-summary"' in response.text


def test_more_findings_than_one_preview_can_post_back_are_refused(client, drafter, inspection):
    client.force_login(drafter)
    text = "\n".join(f"Rec {n}: The force should act." for n in range(1, 92))

    response = _preview(client, inspection, text=text)

    assert "The text holds 91 findings: paste at most 80 at a time" in response.text
    assert "formset" not in response.context


def test_the_preview_shows_what_was_read_and_saves_nothing(client, drafter, inspection):
    client.force_login(drafter)

    response = _preview(client, inspection)

    assert response.status_code == 200
    assert Finding.objects.count() == 0
    assert Finding.history.count() == 0
    rows = [form.initial for form in response.context["formset"]]
    assert [(r["reference"], r["due_date"], r["addressee"]) for r in rows] == [
        ("Rec 02", datetime.date(2026, 4, 30), "chief constables"),
        ("Rec 04", datetime.date(2025, 12, 31), "chief constables"),
        ("Rec 08", datetime.date(2026, 4, 30), "chief constables"),
        ("Rec 09", datetime.date(2026, 4, 30), "chief constables"),
    ]
    assert re.search(r'name="form-1-due_date_day" value="31"', response.text)
    assert re.search(r'name="form-1-due_date_month" value="12"', response.text)
    assert re.search(r'name="form-1-due_date_year" value="2025"', response.text)
    assert 'Addressee<span class="govuk-visually-hidden">, finding 4</span>' in response.text


def test_confirming_saves_every_row_with_the_corrected_cell(client, drafter, inspection):
    client.force_login(drafter)
    rows = _posted_rows(_preview(client, inspection))
    rows.update(date_parts("form-1-due_date", datetime.date(2026, 3, 31)))

    response = client.post(_confirm_url(inspection), rows)

    assert response.status_code == 302
    assert response.url == inspection.get_absolute_url()
    assert _message(response) == "Added 4 findings."
    assert [(f.reference, f.due_date, f.order) for f in inspection.findings.all()] == [
        ("Rec 02", datetime.date(2026, 4, 30), 1),
        ("Rec 04", datetime.date(2026, 3, 31), 2),
        ("Rec 08", datetime.date(2026, 4, 30), 3),
        ("Rec 09", datetime.date(2026, 4, 30), 4),
    ]
    assert {f.history.get().history_user for f in inspection.findings.all()} == {drafter}


def test_pasting_the_same_findings_again_adds_no_duplicates(client, drafter, inspection):
    client.force_login(drafter)
    client.post(_confirm_url(inspection), _posted_rows(_preview(client, inspection)))

    again = _preview(client, inspection)
    response = client.post(_confirm_url(inspection), _posted_rows(again))

    assert again.text.count("Already recorded") == 4
    assert inspection.findings.count() == 4
    assert _message(response) == "No findings added: 4 were already recorded."


def test_a_finding_recorded_by_hand_is_matched_on_its_reference(client, drafter, inspection):
    make_finding(inspection, reference="Rec 04", text="Typed in by hand.")
    client.force_login(drafter)

    response = client.post(_confirm_url(inspection), _posted_rows(_preview(client, inspection)))

    assert _message(response) == "Added 3 findings. 1 was already recorded and left unchanged."
    assert inspection.findings.get(reference="Rec 04").text == "Typed in by hand."


def test_unticked_rows_are_not_added(client, drafter, inspection):
    client.force_login(drafter)
    rows = _posted_rows(_preview(client, inspection))
    del rows["form-0-include"]

    client.post(_confirm_url(inspection), rows)

    assert list(inspection.findings.values_list("reference", flat=True)) == [
        "Rec 04",
        "Rec 08",
        "Rec 09",
    ]


def test_an_invalid_cell_shows_its_error_and_keeps_every_correction(client, drafter, inspection):
    client.force_login(drafter)
    rows = _posted_rows(_preview(client, inspection))
    rows["form-0-addressee"] = "chief constables and the NCA"
    rows["form-2-due_date_month"] = "spring"

    response = client.post(_confirm_url(inspection), rows)

    assert response.status_code == 200
    assert Finding.objects.count() == 0
    assert "Finding 3: Due date must be a real date" in response.text
    assert 'href="#id_form-2-due_date_month"' in response.text
    assert 'value="chief constables and the NCA"' in response.text
    assert 'value="spring"' in response.text
    assert re.search(
        r'<input[^>]*value="spring"[^>]*aria-invalid="true"[^>]*id="id_form-2-due_date_month"'
        r'[^>]*govuk-input--error',
        response.text,
    )
    assert not re.search(r'aria-invalid="true"[^>]*id="id_form-2-due_date_day"', response.text)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("form-3-due_date_day", "Due date must include a day"),
        ("form-0-text", "Enter the wording of the finding"),
    ],
    ids=["dated timing without its date", "no wording"],
)
def test_an_included_row_missing_what_it_needs_is_refused(
    client, drafter, inspection, cell, message
):
    client.force_login(drafter)
    rows = _posted_rows(_preview(client, inspection))
    rows[cell] = " "

    response = client.post(_confirm_url(inspection), rows)

    assert message in response.text
    assert Finding.objects.count() == 0


def test_a_date_typed_into_an_undated_row_makes_it_dated(client, drafter, inspection):
    client.force_login(drafter)
    rows = _posted_rows(_preview(client, inspection, text="The force should audit its records."))
    rows.update(date_parts("form-0-due_date", datetime.date(2025, 9, 30)))

    client.post(_confirm_url(inspection), rows)

    finding = inspection.findings.get()
    assert (finding.due_date, finding.due_precision) == (datetime.date(2025, 9, 30), "day")


def test_tampered_rows_re_render_instead_of_failing(client, drafter, inspection):
    client.force_login(drafter)

    response = client.post(_confirm_url(inspection), {"form-0-text": "x"})

    assert response.status_code == 200
    assert Finding.objects.count() == 0


def _assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
def test_a_drafter_pastes_corrects_and_confirms_recommendations(live_server, page, drafter):
    inspection = make_inspection(
        title="Improving the response to organised immigration crime",
        hmicfrs_number=None,
        published_on=datetime.date(2025, 5, 16),
    )
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(drafter.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + inspection.get_absolute_url())

    page.get_by_role("link", name="Paste findings from the report").click()
    _assert_accessible(page)
    page.get_by_label("Findings from the report").fill(RECOMMENDATIONS_003)
    page.get_by_role("button", name="Preview the findings").click()
    _assert_accessible(page)
    due = page.get_by_role("group", name=re.compile(r"^Due date\s*, finding 2$"))
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("Jan")
    due.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add these findings").click()

    page.wait_for_url(live_server.url + inspection.get_absolute_url())
    body = page.locator("main").inner_text()
    assert "Rec 02" in body and "By 30 April 2026, chief constables should" in body
    due_lines = page.locator(".app-finding__due").all_inner_texts()
    assert len(due_lines) == 4
    assert "Due 30 April 2026 (“By 30 April 2026”)" in due_lines
    assert "Due 31 January 2026 (“By 31 December 2025”)" in due_lines
    assert Finding.objects.filter(inspection=inspection).count() == 4
