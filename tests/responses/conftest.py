"""Statement 003 from the office's published record, as the data the tracker holds for it.

Also used by bench/render_statement.py.
"""

import datetime
import hashlib

import pytest
import time_machine
from django.core.files.storage import default_storage

from inspections.models import DuePrecision
from responses.publishing import publish_statement
from tests.factories import approve, make_finding, make_inspection, make_response

# As the office's old tool stored it: HTML tags that leaked into the published statement.
KEY_FINDINGS_003 = (
    "<p>In January 2024, the then Home Secretary commissioned HMICFRS to inspect how effectively "
    "the police and National Crime Agency tackle organised immigration crime (OIC) in England "
    "and Wales.</p> <p>During the inspection, HMICFRS examined:</p> "
    '<ul style="list-style-type: none"> - how the response of law enforcement agencies to OIC '
    "was led; - the initial response to suspected immigration crime incidents; - the management "
    "of information and intelligence; - how OIC groups were targeted by law enforcement; and - "
    "organisational learning and training for officers and staff. "
)

RECOMMENDATIONS_003 = [
    (
        "Rec 02",
        datetime.date(2026, 4, 30),
        "<p>By 30 April 2026, chief constables should make "
        "sure that every time a member of their force reports a case to Immigration Enforcement's "
        "National Command and Control Unit, the reporting officer completes and submits the "
        "required intelligence document.</p>",
    ),
    (
        "Rec 04",
        datetime.date(2025, 12, 31),
        "By 31 December 2025, chief constables should make "
        "sure they have clear plans to collect, analyse and share information related to organised "
        "immigration crime.",
    ),
    (
        "Rec 08",
        datetime.date(2026, 4, 30),
        "By 30 April 2026, chief constables, working with the Modern Slavery & Organised "
        "Immigration Crime Unit, should make sure that relevant personnel in all Home Office "
        "police forces complete the Hydra training package on organised immigration crime.",
    ),
    (
        "Rec 09",
        datetime.date(2026, 4, 30),
        "By 30 April 2026, chief constables, working with the Modern Slavery & Organised "
        "Immigration Crime Unit and the College of Policing, should make sure that relevant "
        "personnel in all Home Office police forces complete the four modules of the organised "
        "immigration crime e-learning package.",
    ),
]

COMMISSIONER_003 = (
    "As Police, Fire & Crime Commissioner (PFCC) for Cumbria, I welcome the report from His "
    "Majesty's Inspectorate of Constabulary, Fire and Rescue Service's (HMICFRS) of an inspection "
    "into 'Improving the response to organised immigration crime.'\n\n"
    "It must be noted that Cumbria Police were not inspected as part of this report. "
    "Nevertheless, we take the recommendations seriously and are cognisant of the wider issues."
)


def make_statement_003():
    """An approved response to the organised immigration crime inspection (statement 003)."""
    inspection = make_inspection(
        title="Improving the response to organised immigration crime",
        hmicfrs_number=31007,
        published_on=datetime.date(2025, 5, 16),
        key_findings=KEY_FINDINGS_003,
        report_url="https://hmicfrs.justiceinspectorates.gov.uk/publications/oic/",
        force_inspected=False,
    )
    response = make_response(
        inspection,
        commissioner_comments=COMMISSIONER_003,
        chief_constable_comments="The Constabulary welcomes the report.",
        reply_to_chief_constable="I will hold the Chief Constable to account for delivery.",
    )
    for reference, due, text in RECOMMENDATIONS_003:
        finding = make_finding(
            inspection,
            reference=reference,
            text=text,
            due_date=due,
            due_precision=DuePrecision.DAY,
        )
        response.answers.create(
            finding=finding,
            text=f"With regards to {reference.lower()}, <p>I am assured that work is in hand.</p>",
        )
    return approve(response)


def assert_stored_as_recorded(publication) -> None:
    """Both stored files of `publication` match the SHA-256 and size it records."""
    for field, digest in (
        (publication.pdf_file, publication.pdf_sha256),
        (publication.html_file, publication.html_sha256),
    ):
        with default_storage.open(field.name) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == digest
    assert publication.pdf_size == default_storage.size(publication.pdf_file.name)


@pytest.fixture
def statement_003(db):
    return make_statement_003()


# Within the 56 days of statement 003's report (16 May 2025; last day 10 July 2025).
ON_TIME = datetime.datetime(2025, 7, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def published_003(statement_003, publisher):
    """Statement 003 published through the real path: rendered, stored and recorded."""
    with time_machine.travel(ON_TIME, tick=False):
        return publish_statement(response=statement_003, by=publisher)
