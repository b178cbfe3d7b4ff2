import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspections.models import DuePrecision, FindingKind
from inspections.parsing import ParsedFinding, parse_findings

# Sections copied verbatim from the reference statements 000 and 003 (/work/shared/reference).
FIXTURES = Path(__file__).parent / "fixtures"
PUBLISHED = datetime.date(2025, 5, 16)


def one(text: str, published_on=PUBLISHED, **kwargs) -> ParsedFinding:
    findings = parse_findings(text, published_on, **kwargs)
    assert len(findings) == 1, findings
    return findings[0]


# Labels


def test_it_splits_rec_labels_with_colons():
    findings = parse_findings(
        "Rec 02: By 30 April 2026, chief constables should do one thing.\n"
        "Rec 04: By 31 December 2025, chief constables should do another.",
        PUBLISHED,
    )
    assert [f.reference for f in findings] == ["Rec 02", "Rec 04"]
    assert findings[1].text == "By 31 December 2025, chief constables should do another."


def test_it_splits_recommendation_labels_with_and_without_dashes():
    findings = parse_findings(
        "Recommendation 3\nThe force should do one thing.\n"
        "Recommendation 4 - The force should do another.",
        PUBLISHED,
    )
    assert [(f.reference, f.text) for f in findings] == [
        ("Recommendation 3", "The force should do one thing."),
        ("Recommendation 4", "The force should do another."),
    ]


def test_it_splits_numbered_labels():
    findings = parse_findings(
        "1. The force should do one thing.\n2.1 The force should do another.\n2.2. And more.",
        PUBLISHED,
    )
    assert [f.reference for f in findings] == ["1", "2.1", "2.2"]
    assert findings[0].text == "The force should do one thing."


def test_it_does_not_read_a_wrapped_amount_as_a_numbered_label():
    finding = one("The unit seized more than\n1.5 million pounds in cash.")
    assert finding.text == "The unit seized more than 1.5 million pounds in cash."


def test_it_splits_afi_labels_with_portal_numbers():
    findings = parse_findings(
        "AFI LEVEL 3 #29550 - There isn't enough capacity.\n"
        "AFI LEVEL 3 #29551 - The force should improve its plans.",
        PUBLISHED,
    )
    assert [(f.reference, f.hmicfrs_number, f.level) for f in findings] == [
        ("AFI LEVEL 3 #29550", 29550, 3),
        ("AFI LEVEL 3 #29551", 29551, 3),
    ]
    assert findings[0].kind == FindingKind.AFI
    assert findings[0].text == "There isn't enough capacity."


@pytest.mark.parametrize(
    "label",
    ["AFI 7", "Area for improvement 2", "Action for further improvement (AFI) 4"],
)
def test_it_reads_the_ways_of_labelling_an_area_for_improvement(label):
    finding = one(f"{label}\nThe force should improve how it answers calls.")
    assert finding.kind == FindingKind.AFI
    assert finding.reference == label
    assert finding.text == "The force should improve how it answers calls."


@pytest.mark.parametrize("label", ["Cause of concern", "Cause for concern"])
def test_it_reads_a_cause_of_concern_label(label):
    finding = one(f"{label}: The service hasn't done enough to protect the public.")
    assert finding.kind == FindingKind.CONCERN
    assert finding.reference == label
    assert finding.text == "The service hasn't done enough to protect the public."


def test_it_reads_bracketed_register_numbers_as_labels():
    findings = parse_findings(
        "(4822) The force should do one thing.\nRecommendation 2 (4823): The force should do more.",
        PUBLISHED,
    )
    assert [(f.reference, f.hmicfrs_number) for f in findings] == [
        ("(4822)", 4822),
        ("Recommendation 2 (4823)", 4823),
    ]
    assert findings[0].text == "The force should do one thing."


@pytest.mark.parametrize("bullet", ["\u2022", "\u2022 ", "\u25e6 ", "- "])
def test_it_splits_bulleted_findings(bullet):
    findings = parse_findings(
        f"{bullet}The force should do one thing.\n{bullet}The force should do another.",
        PUBLISHED,
    )
    assert [(f.reference, f.text) for f in findings] == [
        ("", "The force should do one thing."),
        ("", "The force should do another."),
    ]


def test_it_keeps_text_without_labels_as_one_finding_of_the_default_kind():
    finding = one(
        "The force should make sure that its\nofficers record crime accurately.",
        default_kind=FindingKind.AFI,
    )
    assert finding.kind == FindingKind.AFI
    assert finding.reference == ""
    assert finding.text == "The force should make sure that its officers record crime accurately."


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("Areas for improvement", FindingKind.AFI),
        ("Recommendations:", FindingKind.RECOMMENDATION),
        ("Causes of concern", FindingKind.CONCERN),
    ],
)
def test_it_takes_the_kind_of_unlabelled_text_from_its_heading(heading, kind):
    finding = one(f"{heading}\nThe force should record crime accurately.")
    assert finding.kind == kind


def test_it_gives_numbered_findings_the_kind_of_their_heading():
    findings = parse_findings("Areas for improvement\n1. Do this.\n2. Do that.", PUBLISHED)
    assert [f.kind for f in findings] == [FindingKind.AFI, FindingKind.AFI]


def test_it_splits_unlabelled_paragraphs_after_a_blank_line():
    findings = parse_findings(
        "Areas for improvement\nThe force should do one thing.\n\nThe force should do another.",
        PUBLISHED,
    )
    assert [f.text for f in findings] == [
        "The force should do one thing.",
        "The force should do another.",
    ]


def test_it_joins_a_paragraph_broken_mid_sentence():
    finding = one("The force should make sure that\n\nits officers record crime.")
    assert finding.text == "The force should make sure that its officers record crime."


def test_it_gives_a_cause_of_concern_then_its_recommendations():
    findings = parse_findings(
        "Cause of concern\n"
        "The force isn't responding to calls quickly enough.\n"
        "Recommendations\n"
        "Within three months, the force should:\n"
        "\u2022 make sure it answers emergency calls on time; and\n"
        "\u2022 review how it grades calls.",
        datetime.date(2023, 1, 31),
    )
    assert [(f.kind, f.reference) for f in findings] == [
        (FindingKind.CONCERN, "Cause of concern"),
        (FindingKind.RECOMMENDATION, ""),
        (FindingKind.RECOMMENDATION, ""),
    ]
    assert findings[0].text == "The force isn't responding to calls quickly enough."
    assert findings[2].text == "Within three months, the force should review how it grades calls."
    assert {f.due_date for f in findings[1:]} == {datetime.date(2023, 4, 30)}
    assert {f.addressee for f in findings[1:]} == {"the force"}


def test_it_gives_labelled_causes_of_concern_then_their_recommendations():
    findings = parse_findings(
        "Cause of concern 1: The force doesn't protect victims.\n"
        "Recommendation 1.1: The force should review its policy.\n"
        "Recommendation 1.2: The force should train its staff.",
        PUBLISHED,
    )
    assert [(f.kind, f.reference) for f in findings] == [
        (FindingKind.CONCERN, "Cause of concern 1"),
        (FindingKind.RECOMMENDATION, "Recommendation 1.1"),
        (FindingKind.RECOMMENDATION, "Recommendation 1.2"),
    ]


def test_it_keeps_the_sub_points_of_a_labelled_finding_in_it():
    finding = one(
        "Recommendation 1: By March 2024, the force should:\n"
        "\u2022 review its policy; and\n"
        "\u2022 train its staff."
    )
    assert finding.text == (
        "By March 2024, the force should: review its policy; and train its staff."
    )


# Timings


DAY, MONTH, RELATIVE = DuePrecision.DAY, DuePrecision.MONTH, DuePrecision.RELATIVE


@pytest.mark.parametrize(
    "phrase, published_on, due, precision",
    [
        ("By 30 April 2026", PUBLISHED, datetime.date(2026, 4, 30), DAY),
        ("by 31 Oct 2023", PUBLISHED, datetime.date(2023, 10, 31), DAY),
        ("Not later than 31 March 2015", PUBLISHED, datetime.date(2015, 3, 31), DAY),
        ("By 31st of March 2024", PUBLISHED, datetime.date(2024, 3, 31), DAY),
        ("By 31/10/2023", PUBLISHED, datetime.date(2023, 10, 31), DAY),
        # A month alone means its last day.
        ("By March 2023", PUBLISHED, datetime.date(2023, 3, 31), MONTH),
        ("By the end of February 2024", PUBLISHED, datetime.date(2024, 2, 29), MONTH),
        ("By the end of 2024", PUBLISHED, datetime.date(2024, 12, 31), MONTH),
        # Periods count from the report's publication.
        ("Within six months", datetime.date(2023, 11, 10), datetime.date(2024, 5, 10), RELATIVE),
        ("within 3 months", datetime.date(2023, 8, 31), datetime.date(2023, 11, 30), RELATIVE),
        ("Within two years", datetime.date(2024, 2, 29), datetime.date(2026, 2, 28), RELATIVE),
        ("Within 6 weeks", datetime.date(2025, 5, 16), datetime.date(2025, 6, 27), RELATIVE),
        ("Within 28 days", datetime.date(2025, 5, 16), datetime.date(2025, 6, 13), RELATIVE),
        ("Within a year", datetime.date(2025, 5, 16), datetime.date(2026, 5, 16), RELATIVE),
    ],
)
def test_it_reads_the_due_date_of_each_timing_form(phrase, published_on, due, precision):
    finding = one(f"{phrase}, chief constables should act.", published_on)
    assert finding.due_date == due
    assert finding.due_precision == precision
    assert finding.due_phrase == phrase


def test_it_gives_a_relative_period_no_date_without_a_publication_date():
    finding = one("Within six months, forces should act.", None)
    assert finding.due_date is None
    assert finding.due_precision == DuePrecision.RELATIVE
    assert finding.due_phrase == "Within six months"


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Immediately, all chief constables should act.", "Immediately"),
        ("The force should immediately review its policy.", "immediately"),
        ("With immediate effect, the force should act.", "With immediate effect"),
        ("The force should stop the practice with immediate effect.", "with immediate effect"),
    ],
)
def test_it_dates_immediate_findings_on_the_publication_day(text, phrase):
    finding = one(text)
    assert finding.due_date == PUBLISHED
    assert finding.due_precision == DuePrecision.IMMEDIATE
    assert finding.due_phrase == phrase


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("As soon as possible, the force should act.", "As soon as possible"),
        ("The force should, as soon as possible, act.", "as soon as possible"),
        ("The force should review its policy as soon as possible.", "as soon as possible"),
    ],
)
def test_it_gives_as_soon_as_possible_no_date(text, phrase):
    finding = one(text)
    assert finding.due_date is None
    assert finding.due_precision == DuePrecision.NONE
    assert finding.due_phrase == phrase


def test_it_gives_no_date_to_a_finding_without_a_timing():
    finding = one("The force should improve its plans.")
    assert (finding.due_date, finding.due_precision, finding.due_phrase) == (
        None,
        DuePrecision.NONE,
        "",
    )


def test_it_reads_a_timing_after_should():
    finding = one("The force should, within six months, review its plans.")
    assert finding.due_date == datetime.date(2025, 11, 16)


def test_it_reads_a_timing_clause_between_addressee_and_should():
    finding = one("Chief constables, by 30 April 2026, should review their plans.")
    assert finding.due_date == datetime.date(2026, 4, 30)


def test_it_ignores_a_later_date_in_the_body():
    finding = one(
        "Chief constables should review their policies in line with guidance due by the end "
        "of April 2014."
    )
    assert finding.due_date is None
    assert finding.due_precision == DuePrecision.NONE


def test_it_takes_the_leading_date_not_a_later_one_in_the_body():
    finding = one(
        "By 31 March 2015, chief constables should review their policies in line with "
        "guidance due by the end of April 2014."
    )
    assert finding.due_date == datetime.date(2015, 3, 31)
    assert finding.due_phrase == "By 31 March 2015"


def test_it_reads_a_date_that_closes_the_should_sentence():
    finding = one("The force should review its vetting decisions by 31 October 2023.")
    assert finding.due_date == datetime.date(2023, 10, 31)
    assert finding.due_phrase == "by 31 October 2023"


def test_it_ignores_a_date_mid_sentence_after_should():
    finding = one("The force should act by March 2024 and report to the board every month.")
    assert finding.due_date is None


def test_it_ignores_a_date_in_a_sentence_before_the_should_clause():
    finding = one("Guidance was due by March 2014. The force should review its policy.")
    assert finding.due_date is None


def test_it_gives_an_impossible_date_no_date_but_keeps_the_phrase():
    finding = one("By 31 February 2026, the force should act.")
    assert finding.due_date is None
    assert finding.due_precision == DuePrecision.NONE
    assert finding.due_phrase == "By 31 February 2026"


def test_it_survives_a_period_past_the_end_of_the_calendar():
    finding = one("Within 999 years, the force should act.", datetime.date(9999, 1, 1))
    assert finding.due_date is None
    assert finding.due_phrase == "Within 999 years"


# Addressees


@pytest.mark.parametrize(
    "text, addressee",
    [
        ("By 30 April 2026, chief constables should act.", "chief constables"),
        ("Forces should act.", "Forces"),
        ("All police forces should act.", "All police forces"),
        ("Within six months, the force should act.", "the force"),
        ("The Home Office and the NPCC should act.", "The Home Office and the NPCC"),
        (
            "By 30 April 2026, chief constables, working with the College of Policing, should act.",
            "chief constables",
        ),
        ("Cumbria Constabulary should improve its plans.", "Cumbria Constabulary"),
        ("In addition, the service must act.", "the service"),
        ("There isn't enough analytical capacity in the force.", ""),
    ],
)
def test_it_finds_the_party_that_should_act(text, addressee):
    assert one(text).addressee == addressee


def test_it_gives_no_addressee_for_a_long_clause_before_should():
    text = (
        "Officers in every one of the neighbourhood teams we visited across the county told us "
        "that they should have more training."
    )
    assert one(text).addressee == ""


# Messy text


def test_it_reads_html_paragraphs_list_items_and_entities():
    findings = parse_findings(
        "<p>Rec 02:&nbsp;By 30 April 2026, chief constables should work with the MS&amp;OIC "
        "Unit.</p><ul><li>Rec 04: By 31 December 2025, forces should act.</li>"
        "<li>Rec 05: Forces should<br>report &lsquo;early&rsquo;.</li></ul>",
        PUBLISHED,
    )
    assert [f.reference for f in findings] == ["Rec 02", "Rec 04", "Rec 05"]
    assert findings[0].text == (
        "By 30 April 2026, chief constables should work with the MS&OIC Unit."
    )
    assert findings[2].text == "Forces should report 'early'."


def test_it_reads_escaped_html():
    finding = one("&lt;p&gt;Rec 02: The force should act.&lt;/p&gt;")
    assert (finding.reference, finding.text) == ("Rec 02", "The force should act.")


def test_it_straightens_curly_quotes_and_non_breaking_spaces():
    finding = one("AFI\u00a07 \u2013 The force\u2019s \u201cplans\u201d should\u00a0improve.")
    assert finding.reference == "AFI 7"
    assert finding.text == 'The force\'s "plans" should improve.'


def test_it_reads_windows_line_endings():
    findings = parse_findings("Rec 01: Act.\r\nRec 02: Act\r\nnow.\r\n", PUBLISHED)
    assert [f.text for f in findings] == ["Act.", "Act now."]


def test_it_reads_a_label_with_no_space_after_its_colon():
    finding = one("Rec 02:By 30 April 2026,chief constables should act.")
    assert finding.reference == "Rec 02"
    assert finding.text == "By 30 April 2026,chief constables should act."
    assert finding.due_date == datetime.date(2026, 4, 30)
    assert finding.addressee == "chief constables"


def test_it_drops_page_furniture():
    findings = parse_findings(
        "Recommendation 1: The force should make sure that its\n"
        "Page 12 of 40\n"
        "HMICFRS\n"
        "officers record crime.\n"
        "An inspection of crime recording\n"
        "13\n"
        "An inspection of crime recording\n"
        "Recommendation 2: The force should review\n"
        "\f- 14 -\n"
        "OFFICIAL\n"
        "its policy.",
        PUBLISHED,
    )
    assert [f.text for f in findings] == [
        "The force should make sure that its officers record crime.",
        "The force should review its policy.",
    ]


def test_it_keeps_repeated_lines_away_from_page_numbers():
    findings = parse_findings(
        "1. The force should make sure that relevant personnel\nin all police forces train.\n"
        "2. The force should make sure that relevant personnel\nin all police forces learn.",
        PUBLISHED,
    )
    assert [f.text for f in findings] == [
        "The force should make sure that relevant personnel in all police forces train.",
        "The force should make sure that relevant personnel in all police forces learn.",
    ]


@pytest.mark.parametrize("text", ["", "   \n\n", "<p></p>", "Page 3 of 9", "Recommendations:"])
def test_it_gives_no_findings_for_empty_text(text):
    assert parse_findings(text, PUBLISHED) == []


def test_it_survives_a_lone_surrogate():
    assert one("Rec 1: The force should act \ud800 now.").reference == "Rec 1"


def test_it_refuses_an_unknown_default_kind():
    with pytest.raises(ValueError):
        parse_findings("Text", PUBLISHED, default_kind="opinion")


# The office's published statements


def test_it_reads_the_recommendations_of_statement_003():
    text = (FIXTURES / "statement_003_recommendations.txt").read_text()
    findings = parse_findings(text, datetime.date(2025, 5, 16))
    assert [(f.kind, f.reference, f.due_date, f.due_precision, f.addressee) for f in findings] == [
        ("recommendation", "Rec 02", datetime.date(2026, 4, 30), "day", "chief constables"),
        ("recommendation", "Rec 04", datetime.date(2025, 12, 31), "day", "chief constables"),
        ("recommendation", "Rec 08", datetime.date(2026, 4, 30), "day", "chief constables"),
        ("recommendation", "Rec 09", datetime.date(2026, 4, 30), "day", "chief constables"),
    ]
    assert findings[0].text.startswith("By 30 April 2026, chief constables should make sure")
    assert findings[0].text.endswith("completes and submits the required intelligence document.")


def test_it_reads_the_areas_for_improvement_of_statement_000():
    text = (FIXTURES / "statement_000_afis.txt").read_text()
    findings = parse_findings(text, datetime.date(2023, 11, 10))
    assert [(f.kind, f.reference, f.hmicfrs_number, f.level) for f in findings] == [
        ("afi", "AFI LEVEL 3 #29550", 29550, 3),
        ("afi", "AFI LEVEL 3 #29551", 29551, 3),
        ("afi", "AFI LEVEL 3 #29552", 29552, 3),
    ]
    assert {(f.due_date, f.due_precision) for f in findings} == {(None, "none")}
    assert findings[0].text == (
        "There isn't enough analytical capacity in Cumbria Constabulary to fully understand "
        "and manage the threat from serious and organised crime."
    )
    assert findings[1].addressee == "Cumbria Constabulary"


def test_it_gives_iso_dates_in_its_json_form():
    finding = one("Rec 02: By 30 April 2026, chief constables should act.")
    assert finding.to_json_dict() == {
        "kind": "recommendation",
        "reference": "Rec 02",
        "hmicfrs_number": None,
        "level": None,
        "addressee": "chief constables",
        "due_date": "2026-04-30",
        "due_precision": "day",
        "due_phrase": "By 30 April 2026",
        "text": "By 30 April 2026, chief constables should act.",
    }


# Any text at all

FRAGMENTS = [
    "Rec 02:", "Recommendation 3", "Recommendation 4 -", "1.", "2.1", "AFI LEVEL 3 #29550 -",
    "AFI 7", "Area for improvement 2", "Action for further improvement (AFI) 4",
    "Cause of concern", "Cause for concern", "(4822)", "\u2022", "\u25e6", "- ",
    "Recommendations", "Areas for improvement", "Causes of concern:",
    "By 30 April 2026", "by 31 Oct 2023", "By 31 February 2026", "By March 2023",
    "Not later than 31 March 0000", "Within six months", "within 999 years", "immediately",
    "With immediate effect", "as soon as possible", "by the end of 9999",
    ", chief constables", " the force should", " should:", " working with ", ".",
    "<p>", "</p>", "<li>", "<br>", "&amp;", "&nbsp;", "&lt;p&gt;", "\u2019", "\u00a0",
    "\r\n", "\n", "\n\n", "Page 12 of 40", "12", "HMICFRS", "\f", "\ud800",
]  # fmt: skip
messy_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=30).map("".join)


@given(
    text=st.text() | messy_text,
    published_on=st.none() | st.dates(),
    default_kind=st.sampled_from(FindingKind.values),
)
def test_it_never_raises_and_gives_well_formed_findings(text, published_on, default_kind):
    findings = parse_findings(text, published_on, default_kind)

    for finding in findings:
        assert finding.kind in FindingKind.values
        assert finding.due_precision in DuePrecision.values
        assert finding.text and finding.text == " ".join(finding.text.split())
        assert "\n" not in finding.reference + finding.addressee + finding.due_phrase
        assert finding.hmicfrs_number is None or finding.hmicfrs_number >= 0
        assert finding.level is None or finding.level >= 0
        if finding.due_date is not None:
            assert finding.due_precision != DuePrecision.NONE
        if finding.due_precision in (DuePrecision.DAY, DuePrecision.MONTH):
            assert finding.due_date is not None
        json.dumps(finding.to_json_dict())
