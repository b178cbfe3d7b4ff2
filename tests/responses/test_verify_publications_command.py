from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.factories import make_inspection, make_publication, make_response


@pytest.fixture
def published(db, publisher):
    return [
        make_publication(make_response(make_inspection(title=title)), publisher)
        for title in ("First", "Second")
    ]


def _run():
    out, err = StringIO(), StringIO()
    call_command("verify_publications", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_checks_every_stored_file_and_passes_when_all_match(published):
    out, err = _run()
    assert "4 published file(s) checked, 0 orphan(s)." in out
    assert err == ""


def test_it_fails_on_a_file_that_no_longer_matches(published):
    name = published[0].pdf_file.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"%PDF-1.7 forged"))
    with pytest.raises(CommandError, match="1 published file"):
        _run()


def test_it_fails_on_a_missing_file(published):
    default_storage.delete(published[1].html_file.name)
    with pytest.raises(CommandError, match="1 published file"):
        _run()


def test_it_lists_orphans_that_no_record_names_without_failing(published):
    default_storage.save(
        "publications/left-by-a-killed-publish/v1/statement.pdf", ContentFile(b"x")
    )
    out, _ = _run()
    assert (
        "Orphan (no record names it): publications/left-by-a-killed-publish/v1/statement.pdf" in out
    )
    assert "1 orphan(s)" in out
