import datetime
import re
import threading
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse

from inspections.pdf import RenderError
from responses import publication_views, publishing, roles, workflow
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Publication, Response, Status
from responses.publishing import publish_statement
from tests.factories import approve, date_parts
from tests.responses.conftest import ON_TIME

LATE = datetime.datetime(2025, 7, 14, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _within_the_response_period():
    with time_machine.travel(ON_TIME, tick=False):
        yield


def signed_in(client, user):
    client.force_login(user)
    return client


def test_staff_preview_the_statement_marked_draft_and_never_cached(client, statement_003, drafter):
    page = signed_in(client, drafter).get(reverse("response-preview", args=[statement_003.pk]))
    assert page.status_code == 200
    assert "DRAFT" in page.content.decode() and "Rec 09" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    pdf = client.get(reverse("response-preview-pdf", args=[statement_003.pk]))
    assert pdf["Content-Type"] == "application/pdf" and "no-store" in pdf["Cache-Control"]
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["response-preview", "response-preview-pdf"])
def test_previews_need_sign_in_and_a_role(client, statement_003, outsider, name):
    url = reverse(name, args=[statement_003.pk])
    assert client.get(url).status_code == 302
    assert signed_in(client, outsider).get(url).status_code == 403


def test_a_publisher_publishes_an_approved_response(client, statement_003, publisher):
    signed_in(client, publisher)
    url = reverse("response-publish", args=[statement_003.pk])
    assert "Publish the response" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Publication.objects.get().version == 1
    page = client.get(response["Location"]).content.decode()
    assert "Version 1 is published" in page


def test_only_a_publisher_may_open_the_publish_page(client, statement_003, reviewer):
    url = reverse("response-publish", args=[statement_003.pk])
    assert signed_in(client, reviewer).post(url).status_code == 403
    assert not Publication.objects.exists()


def test_the_publish_page_refuses_a_response_that_is_not_approved(client, statement_003, publisher):
    Response.objects.filter(pk=statement_003.pk).update(status=Status.IN_REVIEW)
    url = reverse("response-publish", args=[statement_003.pk])
    page = signed_in(client, publisher).post(url)
    assert page.status_code == 200 and "Only an approved response" in page.content.decode()
    assert not Publication.objects.exists()


def test_a_late_publication_asks_for_a_reason_and_re_renders_on_error(
    client, statement_003, publisher
):
    signed_in(client, publisher)
    url = reverse("response-publish", args=[statement_003.pk])
    with time_machine.travel(LATE, tick=False):
        page = client.post(url, {"late_reason": ""})
        assert page.status_code == 400
        assert "There is a problem" in page.content.decode()
        assert not Publication.objects.exists()
        client.post(url, {"late_reason": "Awaiting the chief constable."})
    assert Publication.objects.get().late


def test_a_second_version_asks_what_changed(client, published_003, publisher, drafter):
    response = approve(workflow.amend(response=published_003.response, actor=drafter))
    signed_in(client, publisher)
    url = reverse("response-publish", args=[response.pk])
    assert "What changed in this version" in client.get(url).content.decode()
    assert client.post(url, {"amendment_note": ""}).status_code == 400
    client.post(url, {"amendment_note": "Corrected a date."})
    assert response.publications.count() == 2


def test_a_publisher_records_each_onward_copy_once(client, published_003, publisher):
    signed_in(client, publisher)
    url = reverse("publication-onward-copy", args=[published_003.pk])
    client.post(url, {"recipient": "hmicfrs", "sent_on": "2025-07-01"})
    published_003.refresh_from_db()
    assert published_003.sent_to_hmicfrs_on == datetime.date(2025, 7, 1)
    assert published_003.sent_to_hmicfrs_by == publisher
    again = client.post(url, {"recipient": "hmicfrs", "sent_on": "2025-07-01"})
    assert "already recorded" in again.content.decode()
    future = client.post(url, {"recipient": "home_secretary", "sent_on": "2025-08-01"})
    assert "Date sent to the Home Secretary must be today or in the past" in future.text
    assert Publication.objects.awaiting_onward_copies().exists()


def test_only_a_publisher_records_onward_copies(client, published_003, drafter):
    url = reverse("publication-onward-copy", args=[published_003.pk])
    response = signed_in(client, drafter).post(
        url, {"recipient": "hmicfrs", "sent_on": "2025-07-01"}
    )
    assert response.status_code == 403


def test_the_versions_page_says_an_imported_statement_was_published_before_the_tracker(
    client, publisher
):
    path = REFERENCE_STATEMENTS_DIR / "000_953b837a2daeaeac.txt"
    response = import_statement_file(path).response
    page = signed_in(client, publisher).get(reverse("response-publications", args=[response.pk]))
    text = page.content.decode()
    assert "By the office before the tracker; date not recorded." in text
    assert "Not known: the date of the first version is not recorded" in text


# --- faults: each leaves nothing published and tells the publisher on the page, never a 500 ---


def publish_page(client, response):
    return client.post(reverse("response-publish", args=[response.pk]))


def assert_nothing_published(page, statement, message):
    assert page.status_code == 400
    text = page.content.decode()
    assert "There is a problem" in text and message in text
    assert not Publication.objects.exists()
    statement.refresh_from_db()
    assert statement.status == Status.APPROVED


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (RenderError("the font is missing"), "nothing was published: the font is missing"),
        (RuntimeError("WeasyPrint crashed"), "could not be rendered, so nothing was published"),
    ],
)
def test_a_render_failure_shows_on_the_publish_page(
    client, statement_003, publisher, monkeypatch, fault, message
):
    def fail(html):
        raise fault

    monkeypatch.setattr(publishing, "render_statement_pdf", fail)
    page = publish_page(signed_in(client, publisher), statement_003)
    assert_nothing_published(page, statement_003, message)


def test_a_storage_failure_shows_on_the_publish_page(
    client, statement_003, publisher, monkeypatch, settings
):
    def fail(name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", fail)
    page = publish_page(signed_in(client, publisher), statement_003)
    assert_nothing_published(page, statement_003, "files could not be stored")
    assert not (settings.MEDIA_ROOT / "publications").exists()


def test_the_loser_of_two_publishers_at_once_is_told_who_published(
    client, statement_003, publisher, make_user, monkeypatch
):
    other = make_user("petra", roles.PUBLISHER)
    real_once = publication_views.once

    def other_publishes_first(**kwargs):
        # Both saw an approved response; the other's publication commits before ours starts.
        publish_statement(response=statement_003, by=other)
        return real_once(**kwargs)

    monkeypatch.setattr(publication_views, "once", other_publishes_first)
    page = publish_page(signed_in(client, publisher), statement_003)
    text = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in text
    assert "Petra published version 1 at 11:00 on 1 July 2025" in text
    assert "nothing more was published" in text
    assert [p.published_by for p in Publication.objects.all()] == [other]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions: PostgreSQL"
)
def test_two_publishers_at_once_publish_one_version(statement_003, publisher, make_user):
    publishers = [publisher, make_user("petra", roles.PUBLISHER)]
    both_checked = threading.Barrier(2, timeout=30)
    real_publish = workflow.response_publish
    pages = []

    def at_once(**kwargs):
        both_checked.wait()  # both pages saw an approved response
        return real_publish(**kwargs)

    def press_publish(user):
        try:
            pages.append(publish_page(signed_in(Client(), user), statement_003))
        finally:
            connection.close()

    with mock.patch.object(workflow, "response_publish", at_once):
        threads = [threading.Thread(target=press_publish, args=(user,)) for user in publishers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(page.status_code for page in pages) == [302, 400]
    loser = next(page for page in pages if page.status_code == 400).content.decode()
    assert "nothing more was published" in loser
    assert Publication.objects.count() == 1


def test_a_refused_publication_with_no_fields_to_fill_is_shown_not_a_crash(
    client, statement_003, publisher, monkeypatch
):
    def refuse(**kwargs):
        raise workflow.Refused(["The statement could not be rendered, so nothing was published"])

    monkeypatch.setattr(workflow, "response_publish", refuse)
    page = signed_in(client, publisher).post(reverse("response-publish", args=[statement_003.pk]))

    assert page.status_code == 400
    assert (
        '<a href="#publish-now">The statement could not be rendered, so nothing was published</a>'
    ) in page.text
    assert 'id="publish-now"' in page.text
    assert not Publication.objects.exists()


def test_an_onward_copy_date_in_error_is_shown_at_its_field_as_typed(
    client, published_003, publisher
):
    url = reverse("publication-onward-copy", args=[published_003.pk])

    typed = {"sent_on_day": "31", "sent_on_month": "Feb", "sent_on_year": "2025"}

    page = signed_in(client, publisher).post(url, {"recipient": "hmicfrs", **typed})

    assert page.status_code == 400
    field = f"copy-{published_003.pk}-hmicfrs-sent_on"
    assert f'<a href="#{field}_day">Date sent to HMICFRS must be a real date</a>' in page.text
    assert f'<p class="govuk-error-message" id="{field}_error">' in page.text
    assert re.search(rf'value="31"[^>]*aria-invalid="true"[^>]*id="{field}_day"', page.text)
    assert re.search(rf'value="Feb"[^>]*id="{field}_month"', page.text)
    published_003.refresh_from_db()
    assert published_003.sent_to_hmicfrs_on is None


def test_an_onward_copy_before_publication_is_refused_at_its_field(
    client, published_003, publisher
):
    url = reverse("publication-onward-copy", args=[published_003.pk])
    before = published_003.published_on - datetime.timedelta(days=1)

    page = signed_in(client, publisher).post(
        url, {"recipient": "home_secretary", **date_parts("sent_on", before)}
    )

    field = f"copy-{published_003.pk}-home_secretary-sent_on"
    assert page.status_code == 400
    assert re.search(
        rf'<a href="#{field}_day">Date sent to the Home Secretary must be the same as or after '
        r"the date the response was published \(\d+ \w+ \d{4}\)</a>",
        page.text,
    )
