"""Small builders for test data: each makes a valid object and takes overrides."""

import datetime
import itertools

from inspections.models import Finding, FindingKind, Inspection, InspectionType, Service
from responses.models import Response

_numbers = itertools.count(40000)


def make_inspection(**fields) -> Inspection:
    fields = {
        "title": "An inspection of the response to serious and organised crime",
        "hmicfrs_number": next(_numbers),
        "published_on": datetime.date(2025, 5, 16),
        "inspection_type": InspectionType.NATIONAL_THEMATIC,
        "service": Service.POLICE,
        **fields,
    }
    return Inspection.objects.create(**fields)


def make_finding(inspection: Inspection, **fields) -> Finding:
    order = inspection.findings.count() + 1
    fields = {
        "kind": FindingKind.RECOMMENDATION,
        "reference": f"Rec {order:02d}",
        "text": "Chief constables should make sure that every report is recorded.",
        "addressee": "chief constables",
        "order": order,
        **fields,
    }
    return Finding.objects.create(inspection=inspection, **fields)


def make_response(inspection: Inspection | None = None, **fields) -> Response:
    return Response.objects.create(inspection=inspection or make_inspection(), **fields)
