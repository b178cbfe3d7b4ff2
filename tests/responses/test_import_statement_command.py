import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Finding, Inspection
from responses.importer import REFERENCE_STATEMENTS_DIR
from responses.models import Response

pytestmark = pytest.mark.django_db

STATEMENTS = sorted(str(path) for path in REFERENCE_STATEMENTS_DIR.glob("*.txt"))


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_statement", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _counts():
    return [model.objects.count() for model in (Inspection, Finding, Response)]


def test_it_imports_both_reference_statements_and_says_what_it_made():
    out, _ = _run(*STATEMENTS)

    assert _counts() == [2, 7, 2]
    assert "000_953b837a2daeaeac.txt: imported #29536 – An inspection of the north-west" in out
    assert "3 findings and the published response; statutory deadline 2024-01-04." in out
    assert "4 findings and the published response; statutory deadline 2025-07-10." in out


def test_a_second_run_changes_nothing_and_says_so():
    _run(*STATEMENTS)

    out, _ = _run(*STATEMENTS)

    assert _counts() == [2, 7, 2]
    assert out.count("already imported") == 2
    assert "nothing changed" in out


def test_dry_run_json_prints_the_records_with_their_statutory_deadlines_and_writes_nothing():
    out, _ = _run(*STATEMENTS, "--dry-run", "--json")

    records = json.loads(out)
    assert _counts() == [0, 0, 0]
    assert [r["inspection"]["statutory_deadline"] for r in records] == ["2024-01-04", "2025-07-10"]
    assert [r["inspection"]["hmicfrs_number"] for r in records] == [29536, None]
    assert [len(r["findings"]) for r in records] == [3, 4]
    assert records[1]["findings"][1]["due_date"] == "2025-12-31"
    assert all(r["dry_run"] and r["response"]["status"] == "published" for r in records)


def test_a_file_that_is_not_a_statement_is_refused_and_the_others_still_import(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Inspection Title: Nothing else here\n")

    with pytest.raises(CommandError, match="1 of 2 files could not be imported"):
        _run(str(notes), STATEMENTS[0])

    assert _counts() == [1, 3, 1]


def test_the_refusal_names_the_file_and_what_is_missing(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Inspection Title: Nothing else here\n")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_statement", str(notes), stdout=StringIO(), stderr=err)

    assert err.getvalue().strip() == (
        f"{notes}: Not a statement: no 'Date Published', 'Type of Inspection' or "
        "'PFCC & Constabulary Response to Report and Recommendation' found in notes.txt"
    )


def test_a_missing_file_is_reported_in_json_too(tmp_path):
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_statement", str(tmp_path / "gone.txt"), "--json", stdout=out)

    [record] = json.loads(out.getvalue())
    assert record["source"].endswith("gone.txt")
    assert "No such file" in record["error"]


def test_the_response_publication_date_can_be_given_for_one_file():
    _run(STATEMENTS[0], "--response-published-on", "20/12/2023")

    assert Response.objects.get().published_on.isoformat() == "2023-12-20"


def test_a_response_publication_date_is_refused_for_several_files():
    with pytest.raises(CommandError, match="one FILE at a time"):
        _run(*STATEMENTS, "--response-published-on", "20/12/2023")
    assert _counts() == [0, 0, 0]


def test_a_response_publication_date_must_be_a_date():
    with pytest.raises(CommandError, match="not a date in the form DD/MM/YYYY"):
        _run(STATEMENTS[0], "--response-published-on", "2023-12-20")
