import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.parsing import parse_findings

TEXT = (
    "Recommendations\n"
    "Rec 02: By 30 April 2026, chief constables should act.\n\n"
    "Within six months, the force should report.\n"
)


def run(*args) -> list[dict]:
    stdout = io.StringIO()
    call_command("parse_findings", *args, stdout=stdout)
    return json.loads(stdout.getvalue())


def test_it_prints_the_findings_in_a_file_as_json(tmp_path):
    path = tmp_path / "findings.txt"
    path.write_text(TEXT)

    findings = run(str(path), "--published", "2025-05-16")

    expected = parse_findings(TEXT, datetime.date(2025, 5, 16))
    assert findings == [finding.to_json_dict() for finding in expected]
    assert [(f["reference"], f["due_date"]) for f in findings] == [
        ("Rec 02", "2026-04-30"),
        ("", "2025-11-16"),
    ]


def test_it_indents_its_json(tmp_path):
    path = tmp_path / "findings.txt"
    path.write_text("Rec 1: Act.")
    stdout = io.StringIO()

    call_command("parse_findings", str(path), "--published", "2025-05-16", stdout=stdout)

    assert stdout.getvalue().startswith('[\n  {\n    "kind": "recommendation",')


def test_it_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("The force should record crime accurately."))

    findings = run("-", "--published", "2025-05-16", "--kind", "afi")

    assert [(f["kind"], f["addressee"]) for f in findings] == [("afi", "The force")]


def test_it_reads_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "findings.txt"
    path.write_bytes("AFI 7 \u2013 The force\u2019s plans should improve.".encode("cp1252"))

    findings = run(str(path), "--published", "2025-05-16")

    assert [f["reference"] for f in findings] == ["AFI 7"]


@pytest.mark.parametrize("published", ["16/05/2025", "2025-02-30", "soon"])
def test_it_refuses_a_bad_publication_date(tmp_path, published):
    path = tmp_path / "findings.txt"
    path.write_text(TEXT)

    with pytest.raises(CommandError, match="--published must be a date as YYYY-MM-DD"):
        call_command("parse_findings", str(path), "--published", published)


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("parse_findings", str(tmp_path / "nope.txt"), "--published", "2025-05-16")


def test_it_refuses_an_unknown_kind(tmp_path):
    with pytest.raises(CommandError):
        call_command("parse_findings", "-", "--published", "2025-05-16", "--kind", "opinion")
