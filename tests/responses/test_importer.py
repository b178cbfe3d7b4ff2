import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError

from inspections.models import Finding, Inspection, OfficeSettings
from inspections.pdf import RenderError
from responses import importer, publishing
from responses.importer import (
    ALREADY_IMPORTED,
    COMPLETED,
    CREATED,
    RECORDED,
    REFERENCE_STATEMENTS_DIR,
    StatementError,
    import_statement,
    import_statement_file,
    read_statement,
)
from responses.models import Publication, Response, Status
from tests.factories import make_finding, make_inspection, make_response
from tests.responses.conftest import assert_stored_as_recorded

pytestmark = pytest.mark.django_db

STATEMENT_000 = REFERENCE_STATEMENTS_DIR / "000_953b837a2daeaeac.txt"
STATEMENT_003 = REFERENCE_STATEMENTS_DIR / "003_ef88c498391f3a02.txt"


def _counts() -> dict:
    models = [Inspection, Finding, Response, Publication, OfficeSettings]
    models += [model.history.model for model in (Inspection, Finding, Response, Publication)]
    return {model.__name__: model.objects.count() for model in models}


def _stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def _stored_text(field) -> str:
    with default_storage.open(field.name) as stored:
        return stored.read().decode()


def _statement(**replacements) -> str:
    text = STATEMENT_003.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    return text


def test_it_imports_statement_000_with_its_areas_for_improvement():
    result = import_statement_file(STATEMENT_000)

    inspection = result.inspection
    assert result.outcome == CREATED
    assert inspection.title == (
        "An inspection of the north-west regional response to serious and organised crime"
    )
    assert inspection.hmicfrs_number == 29536
    assert inspection.published_on == datetime.date(2023, 11, 10)
    assert inspection.get_inspection_type_display() == "National Thematic"
    assert inspection.service == "police"
    assert inspection.force_inspected is True
    assert inspection.deadline().last_day == datetime.date(2024, 1, 4)
    assert [(f.kind, f.hmicfrs_number, f.level, f.order) for f in inspection.findings.all()] == [
        ("afi", 29550, 3, 1),
        ("afi", 29551, 3, 2),
        ("afi", 29552, 3, 3),
    ]
    assert inspection.key_findings.startswith("As part of HMICFRS")
    assert "- Regional findings – a summary" in inspection.key_findings


def test_it_imports_statement_003_with_its_recommendations():
    inspection = import_statement_file(STATEMENT_003).inspection

    assert inspection.title == "Improving the response to organised immigration crime"
    assert inspection.hmicfrs_number is None
    assert inspection.published_on == datetime.date(2025, 5, 16)
    assert inspection.get_inspection_type_display() == "National Thematic"
    assert inspection.deadline().last_day == datetime.date(2025, 7, 10)
    findings = inspection.findings.all()
    assert [(f.kind, f.reference, f.due_date, f.addressee) for f in findings] == [
        ("recommendation", "Rec 02", datetime.date(2026, 4, 30), "chief constables"),
        ("recommendation", "Rec 04", datetime.date(2025, 12, 31), "chief constables"),
        ("recommendation", "Rec 08", datetime.date(2026, 4, 30), "chief constables"),
        ("recommendation", "Rec 09", datetime.date(2026, 4, 30), "chief constables"),
    ]
    assert findings[0].text.startswith("By 30 April 2026, chief constables should make sure")


def test_it_notices_that_the_force_was_not_inspected():
    assert import_statement_file(STATEMENT_003).inspection.force_inspected is False


@pytest.mark.parametrize(
    ("path", "opening", "later_paragraph"),
    [
        (STATEMENT_000, "I welcome the inspection", "From discussions with Chief Constable"),
        (STATEMENT_003, "As Police, Fire & Crime", "It must be noted that Cumbria Police"),
    ],
    ids=["000", "003"],
)
def test_the_response_holds_the_published_text_marked_as_imported(path, opening, later_paragraph):
    response = import_statement_file(path).response

    response.refresh_from_db()
    assert response.status == Status.PUBLISHED
    assert response.imported is True
    assert response.published_on is None
    assert response.commissioner_comments.startswith(opening)
    # The office's layout puts one paragraph a line; each stays a paragraph of its own.
    assert f"\n\n{later_paragraph}" in response.commissioner_comments


def test_statement_000_keeps_the_chief_constables_quoted_comments_in_their_own_section():
    response = import_statement_file(STATEMENT_000).response
    response.refresh_from_db()
    commissioner, chief = response.commissioner_comments, response.chief_constable_comments
    # The commissioner's words end with the introduction to the quote...
    assert commissioner.endswith(
        "From discussions with Chief Constable Rob Carden, he has stated the following:"
    )
    assert "welcome the inspection" in commissioner and "1CLIC" in commissioner
    # ...and the chief constable's words, the rest of the statement, are in their section.
    assert chief.startswith("The Constabulary welcome this report and take the AFIs seriously.")
    assert "nearly £400,000 in analytical capability" in chief
    assert chief.endswith("plans in motion to address the AFI raised in the report.")
    assert "The Constabulary welcome" not in commissioner and "1CLIC" not in chief


@pytest.mark.parametrize("path", [STATEMENT_000, STATEMENT_003], ids=["000", "003"])
def test_the_sections_joined_give_back_every_word_of_the_statement(path):
    draft = read_statement(importer._read(path), source=path.name)
    joined = f"{draft.commissioner_comments}\n\n{draft.chief_constable_comments}"
    assert joined.split() == draft.response_text.split()
    published = importer._split(importer._read(path))[1][importer.RESPONSE]
    assert " ".join(published.split()) == " ".join(joined.split())


def test_a_statement_that_quotes_nobody_is_all_the_commissioners():
    draft = read_statement(importer._read(STATEMENT_003), source="003")
    assert draft.chief_constable_comments == ""
    assert draft.commissioner_comments == draft.response_text


@pytest.mark.parametrize(
    ("text", "commissioner", "chief"),
    [
        (
            "I welcome it.\n\nThe chief constable has stated the following: We will act.",
            "I welcome it.\n\nThe chief constable has stated the following:",
            "We will act.",
        ),
        (
            "I welcome it.\n\nThe Constabulary welcomes the report.\n\nWe will act.",
            "I welcome it.",
            "The Constabulary welcomes the report.\n\nWe will act.",
        ),
        (
            "I hold the Chief Constable to account.\n\nThe Constabulary continue to improve.",
            "I hold the Chief Constable to account.\n\nThe Constabulary continue to improve.",
            "",
        ),
    ],
    ids=["introduced on the same line", "the force speaking", "no quote"],
)
def test_the_quote_is_found_by_its_introduction_or_the_forces_own_voice(text, commissioner, chief):
    assert importer.split_chief_constable_comments(text) == (commissioner, chief)


def test_the_imported_statement_reads_as_the_office_published_it():
    publication = import_statement_file(STATEMENT_000).response.publications.get()
    html = _stored_text(publication.html_file)
    # A label that carries the HMICFRS number is not followed by it again.
    assert "AFI LEVEL 3 #29550</h3>" in html and "(#29550)" not in html
    # The statement answered its findings together, in its response: say so once.
    assert "No separate response" not in html
    assert html.count("It answered these findings in its response below") == 1
    chief = html[html.index("The chief constable's comments") :]
    assert "The Constabulary welcome this report" in chief
    assert "None recorded" not in html
    assert "Published before this site; date not recorded" in html
    assert "How many days after the report is not known" not in html


def test_a_statement_quoting_no_chief_constable_says_so_rather_than_none_recorded():
    publication = import_statement_file(STATEMENT_003).response.publications.get()
    html = _stored_text(publication.html_file)
    assert "The published statement did not quote the chief constable's comments separately." in (
        html
    )
    assert "None recorded" not in html


def test_the_response_publication_date_is_recorded_when_given():
    result = import_statement_file(STATEMENT_000, response_published_on=datetime.date(2023, 12, 20))

    assert result.response.published_on == datetime.date(2023, 12, 20)
    assert result.as_json()["response"]["published_on"] == "2023-12-20"


def test_a_response_dated_before_the_report_is_refused():
    with pytest.raises(
        StatementError, match=r"cannot be published before the report \(10/11/2023\)"
    ):
        import_statement_file(STATEMENT_000, response_published_on=datetime.date(2023, 11, 9))
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize("path", [STATEMENT_000, STATEMENT_003], ids=["000", "003"])
def test_key_findings_and_the_response_keep_no_markup(path):
    inspection = import_statement_file(path).inspection

    inspection.refresh_from_db()
    assert inspection.key_findings
    assert "<" not in inspection.key_findings
    assert "<" not in inspection.response.commissioner_comments
    assert all("<" not in finding.text for finding in inspection.findings.all())


def test_the_old_tools_flattened_list_becomes_a_list_again():
    key_findings = import_statement_file(STATEMENT_003).inspection.key_findings

    assert "During the inspection, HMICFRS examined:\n\n- how the response" in key_findings
    assert "was led;\n- the initial response" in key_findings
    assert "; and\n- organisational learning" in key_findings


def test_history_says_which_statement_the_records_came_from():
    inspection = import_statement_file(STATEMENT_003).inspection

    reason = "Imported from statement 003_ef88c498391f3a02.txt"
    assert inspection.history.get().history_change_reason == reason
    assert inspection.response.history.get().history_change_reason == reason
    assert {f.history.get().history_change_reason for f in inspection.findings.all()} == {reason}


@pytest.mark.parametrize(
    ("path", "deadline"),
    [(STATEMENT_000, "2024-01-04"), (STATEMENT_003, "2025-07-10")],
    ids=["000", "003"],
)
def test_a_dry_run_writes_nothing_and_reports_the_statutory_deadline(path, deadline):
    before = _counts()

    result = import_statement_file(path, dry_run=True)

    assert _counts() == before
    data = json.loads(json.dumps(result.as_json()))
    assert data["dry_run"] is True
    assert data["outcome"] == CREATED
    assert data["inspection"]["statutory_deadline"] == deadline
    assert data["response"] == {
        "status": "published",
        "imported": True,
        "published_on": None,
        "commissioner_comments": result.draft.commissioner_comments,
        "chief_constable_comments": result.draft.chief_constable_comments,
    }
    assert len(data["findings"]) == len(result.draft.findings) > 0


def test_a_dry_run_of_an_imported_statement_says_it_is_already_imported():
    import_statement_file(STATEMENT_000)

    assert import_statement_file(STATEMENT_000, dry_run=True).outcome == ALREADY_IMPORTED


def test_importing_the_same_statements_twice_changes_nothing():
    import_statement_file(STATEMENT_000)
    import_statement_file(STATEMENT_003)
    before = _counts()

    again = [import_statement_file(STATEMENT_000), import_statement_file(STATEMENT_003)]

    assert [result.outcome for result in again] == [ALREADY_IMPORTED, ALREADY_IMPORTED]
    assert _counts() == before


def test_a_file_that_is_not_a_statement_is_refused_naming_what_is_missing(tmp_path):
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Minutes of the joint audit committee\n\nPresent: the commissioner\n")

    with pytest.raises(StatementError) as refused:
        import_statement_file(minutes)

    assert str(refused.value) == (
        "Not a statement: no 'Inspection Title', 'Date Published', 'Type of Inspection' or "
        "'PFCC & Constabulary Response to Report and Recommendation' found in minutes.txt"
    )
    assert set(_counts().values()) == {0}


def test_a_statement_without_its_response_is_refused_naming_only_that():
    text = _statement()
    text = text[: text.index("PFCC & Constabulary")]

    with pytest.raises(StatementError, match="^Not a statement: no 'PFCC & Constabulary Response"):
        import_statement(text, source="cut.txt")
    assert Inspection.objects.count() == 0


def test_a_statement_whose_date_is_not_a_date_is_refused():
    with pytest.raises(StatementError, match="not a date in the form DD/MM/YYYY: '31/02/2025'"):
        import_statement(_statement(**{"16/05/2025": "31/02/2025"}), source="003.txt")


def test_an_unknown_inspection_type_is_refused_listing_the_known_ones():
    with pytest.raises(StatementError, match="'Audit', not one of: PEEL, National Thematic"):
        import_statement(_statement(**{"\tNational Thematic": "\tAudit"}), source="003.txt")


def test_a_statement_whose_fields_do_not_fit_is_refused_and_leaves_nothing():
    long_title = "An inspection " * 30
    text = _statement(
        **{"Improving the response to organised immigration crime\n": f"{long_title}\n"}
    )

    with pytest.raises(StatementError, match="^003.txt cannot be stored: .*at most 300"):
        import_statement(text, source="003.txt")
    assert set(_counts().values()) == {0}


def test_a_failure_while_storing_leaves_nothing_half_imported(monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(Response, "save", fail)

    with pytest.raises(IntegrityError):
        import_statement_file(STATEMENT_003)
    assert set(_counts().values()) == {0}


# --- the published version of an imported statement ---


def test_an_imported_statement_is_recorded_as_its_published_version_1(settings):
    result = import_statement_file(STATEMENT_003)

    publication = result.response.publications.get()
    assert publication.imported is True
    assert publication.version == 1
    assert publication.published_by is None and publication.published_at is None
    assert publication.title == "Improving the response to organised immigration crime"
    assert publication.hmicfrs_number is None
    assert publication.report_published_on == datetime.date(2025, 5, 16)
    assert publication.deadline_last_day == datetime.date(2025, 7, 10)
    assert_stored_as_recorded(publication)
    assert len(_stored_files(settings)) == 2
    assert "organised immigration crime" in publication.search_text
    history = publication.history.get()
    assert history.history_change_reason == "Imported from statement 003_ef88c498391f3a02.txt"


def test_an_imported_statement_with_no_date_invents_no_date_nor_days():
    publication = import_statement_file(STATEMENT_000).response.publications.get()

    assert publication.published_on is None
    assert publication.days_taken is None
    assert publication.late is None and publication.on_time is None
    assert publication.days_late is None
    html = _stored_text(publication.html_file)
    assert "Published before this site; date not recorded" in html
    assert "counting the day the report was published as day 1" not in html
    assert "Not yet published" not in html
    assert "Version 1" in html and "DRAFT" not in html


def test_an_imported_statement_with_its_date_given_is_dated_and_timed():
    result = import_statement_file(STATEMENT_003, response_published_on=datetime.date(2025, 7, 1))

    publication = result.response.publications.get()
    assert publication.published_on == datetime.date(2025, 7, 1)
    assert publication.days_taken == 47
    assert publication.late is False
    assert publication.published_by is None and publication.published_at is None
    assert "1 July 2025" in _stored_text(publication.html_file)


def test_an_imported_statement_given_a_late_date_is_late_without_an_invented_reason():
    publication = import_statement_file(
        STATEMENT_003, response_published_on=datetime.date(2025, 7, 14)
    ).response.publications.get()

    assert publication.late is True and publication.days_late == 4
    assert publication.late_reason.startswith("Not recorded")


def test_importing_a_statement_twice_records_one_published_version(settings):
    import_statement_file(STATEMENT_003)
    files = _stored_files(settings)

    again = import_statement_file(STATEMENT_003)

    assert again.outcome == ALREADY_IMPORTED
    assert Publication.objects.count() == 1
    assert _stored_files(settings) == files


def test_a_dry_run_renders_and_stores_nothing(settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dry run rendered the statement")

    monkeypatch.setattr(publishing, "render_statement_html", refuse)

    import_statement_file(STATEMENT_003, dry_run=True)

    assert not Publication.objects.exists()
    assert not settings.MEDIA_ROOT.exists() or _stored_files(settings) == []


def test_a_statement_that_cannot_be_rendered_is_not_imported_at_all(settings, monkeypatch):
    def fail(html):
        raise RenderError("the font is missing")

    monkeypatch.setattr(publishing, "render_statement_pdf", fail)

    with pytest.raises(StatementError, match="^003.txt was not imported: .*the font is missing"):
        import_statement(STATEMENT_003.read_text(encoding="utf-8"), source="003.txt")
    assert set(_counts().values()) == {0}
    assert not settings.MEDIA_ROOT.exists() or _stored_files(settings) == []


def test_a_failure_while_recording_the_publication_removes_its_stored_files(settings, monkeypatch):
    def fail(self, *args, **kwargs):
        raise IntegrityError("database went away")

    monkeypatch.setattr(Publication, "save", fail)

    with pytest.raises(IntegrityError):
        import_statement_file(STATEMENT_003)
    assert set(_counts().values()) == {0}
    assert _stored_files(settings) == []


def test_a_statement_imported_before_versions_were_recorded_gets_its_version_once():
    inspection = make_inspection(
        title="Improving the response to organised immigration crime",
        published_on=datetime.date(2025, 5, 16),
    )
    make_response(inspection, status="published", imported=True)

    assert import_statement_file(STATEMENT_003, dry_run=True).outcome == RECORDED
    assert not Publication.objects.exists()
    assert import_statement_file(STATEMENT_003).outcome == RECORDED
    assert import_statement_file(STATEMENT_003).outcome == ALREADY_IMPORTED
    assert inspection.response.publications.get().imported is True


def test_a_statement_for_an_inspection_entered_by_hand_adds_only_what_is_missing():
    inspection = make_inspection(
        title="North-west serious and organised crime",
        hmicfrs_number=29536,
        published_on=datetime.date(2023, 11, 10),
    )
    make_finding(inspection, kind="afi", reference="AFI 1", hmicfrs_number=29550)

    result = import_statement_file(STATEMENT_000)

    inspection.refresh_from_db()
    assert result.outcome == COMPLETED
    assert (result.findings_added, result.findings_existing) == (2, 1)
    assert inspection.title == "North-west serious and organised crime"
    assert inspection.findings.count() == 3
    assert inspection.response.imported is True


def test_it_refuses_to_import_over_a_response_being_prepared():
    make_response(make_inspection(hmicfrs_number=29536))

    with pytest.raises(StatementError, match="already has a response being prepared"):
        import_statement_file(STATEMENT_000)
    assert Finding.objects.count() == 0


def test_it_reads_the_variations_of_the_layout():
    text = (
        "Cumbria Office of Police Fire and Crime Commissioner\n"
        "HMICFRS Responses\n"
        "Inspection Title: #1234 - PEEL 2025: an inspection of\n"
        "Cumbria Constabulary\n"
        "Date Published: 1/2/2025\n"
        "Type of Inspection:\n\tPEEL\n"
        "Key Findings:\t<p>The force is <strong>good</strong> at <script>x</script>"
        "answering calls.</p>\n"
        "Causes of Concern:\n"
        "Cause of concern 1: The force does not record crime accurately.\n"
        "Recommendations:\n"
        "Recommendation 1: Within three months, the force should audit its crime records.\n"
        "PFCC & Constabulary Response to Report and Recommendations:\n"
        "I welcome the report.\n"
        "Recommendations: the words of a label, inside the response, stay in the response.\n"
    )

    draft = read_statement(text, source="peel.txt")

    assert draft.office_name == "Cumbria Office of Police Fire and Crime Commissioner"
    assert draft.title == "PEEL 2025: an inspection of Cumbria Constabulary"
    assert draft.hmicfrs_number == 1234
    assert draft.published_on == datetime.date(2025, 2, 1)
    assert draft.inspection_type == "peel"
    assert draft.key_findings == "The force is **good** at answering calls."
    assert [(f.kind, f.reference) for f in draft.findings] == [
        ("concern", "Cause of concern 1"),
        ("recommendation", "Recommendation 1"),
    ]
    assert draft.findings[1].due_date == datetime.date(2025, 5, 1)
    assert draft.response_text == (
        "I welcome the report.\n\n"
        "Recommendations: the words of a label, inside the response, stay in the response."
    )


def test_both_reference_statements_name_their_office():
    names = [
        read_statement(path.read_text(encoding="utf-8"), source=path.name).office_name
        for path in (STATEMENT_000, STATEMENT_003)
    ]

    assert names == [
        "Cumbria Office of Police Fire and Crime Commissioner",
        "Cumbria's Office of the Police, Fire & Crime Commissioner",
    ]


def test_reference_statements_folder_holds_the_office_statements():
    assert sorted(p.name for p in importer.REFERENCE_STATEMENTS_DIR.glob("*.txt")) == [
        STATEMENT_000.name,
        STATEMENT_003.name,
    ]
