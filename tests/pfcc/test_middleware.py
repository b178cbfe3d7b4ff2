"""Text the site cannot read (pfcc.text) is refused at the edge with a page saying what to do."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pfcc.text import ReadableTextValidator, is_readable

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
# How a lone surrogate travels: its UTF-8-style bytes, which are not UTF-8.
SURROGATE = "%ED%A0%80"


@pytest.mark.parametrize(
    "path",
    [
        "/?q=a%00b",
        "/?q=a%01b",
        f"/?q={SURROGATE}",
        "/?q=%FF",  # not UTF-8 at all
        "/responses/%00/",
        "/staff/calendar/%00.ics",
    ],
)
def test_an_address_with_unreadable_text_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The web address contains a character this service cannot read" in page
    assert "govuk-heading-l" in page  # the site's own page, not a bare error


@pytest.mark.parametrize("query", ["q=tab%09line%0Afeed%0D", "q=%C2%B2", "q=%EF%BF%BD"])
def test_tabs_line_breaks_and_other_text_pass(client, query):
    assert client.get(f"/?{query}").status_code == 200


@pytest.mark.parametrize("value", ["a%00b", "a%0Cb", SURROGATE])
def test_a_posted_form_with_unreadable_text_is_refused(client, value):
    response = client.post(
        reverse("login"), f"username=dana&password={value}", content_type=FORM
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()


def test_a_multipart_form_with_a_control_character_is_refused_but_files_are_data(client):
    url = reverse("login")
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-\x00\x01")
    assert client.post(url, {"username": "dana\x0b", "file": upload}).status_code == 400
    upload.seek(0)
    assert client.post(url, {"username": "dana", "file": upload}).status_code == 200


def test_the_definition_refuses_controls_and_surrogates_and_keeps_text():
    assert is_readable("Tabs\tand\r\nline breaks, “quotes”, ² and ٣ are text")
    assert not any(is_readable(s) for s in ("\x00", "\x08", "\x1f", "\ud800", "a\udfffb"))


def test_the_validator_says_what_to_do():
    with pytest.raises(Exception, match="Remove the invisible control character"):
        ReadableTextValidator()("a\x00b")
