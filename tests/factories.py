"""Small builders for test data: each makes a valid object and takes overrides."""

import datetime
import hashlib
import itertools

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from inspections.models import Finding, FindingKind, Inspection, InspectionType, Service
from responses import roles, workflow
from responses.models import Publication, Response

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


def staff_member(username: str, *role_names: str) -> User:
    """A member of staff holding `role_names`, made once per test."""
    if not Group.objects.filter(name__in=role_names).count() == len(role_names):
        roles.sync_roles(apps)
    user, _ = User.objects.get_or_create(username=username, email=f"{username}@opfcc.example")
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user


def approve(response: Response, *, drafter: User | None = None, reviewer: User | None = None):
    """Submits the drafted `response` and approves it, through the workflow as people do."""
    drafter = drafter or staff_member("factory-drafter", roles.DRAFTER)
    reviewer = reviewer or staff_member("factory-reviewer", roles.REVIEWER)
    workflow.submit(response=response, actor=drafter)
    return workflow.approve(response=response, actor=reviewer)


def explain_findings(response: Response, actor: User, text: str = "The force has a plan.") -> None:
    """Writes an answer to every applicable finding of `response`, as `actor`."""
    for finding in response.inspection.findings.filter(applies=True):
        workflow.save_answer(
            response=response, finding_id=finding.pk, actor=actor, text=text, loaded_version=0
        )


def redraft(response: Response, actor: User, comments: str) -> Response:
    """Takes the published `response` back to draft and rewrites the commissioner's comments."""
    response = workflow.amend(response=response, actor=actor)
    workflow.save_response_fields(
        response=response,
        actor=actor,
        values={"commissioner_comments": comments},
        loaded_version=response.version,
        what="the commissioner's comments",
    )
    response.refresh_from_db()
    return response


def make_publication(response, by, **fields) -> Publication:
    """A publication record with small stored files, for pages that list many (no rendering)."""
    inspection = response.inspection
    version = fields.pop("version", 1)
    published_on = fields.pop("published_on", inspection.published_on + datetime.timedelta(days=30))
    html = f"<body><!-- statement --><h1>{inspection.title}</h1><!-- /statement --></body>"
    pdf = b"%PDF-1.7 stand-in"
    folder = f"publications/{inspection.public_id}/v{version}"
    fields = {
        "version": version,
        "published_at": datetime.datetime.combine(published_on, datetime.time(12), datetime.UTC),
        "published_on": published_on,
        "published_by": by,
        "amendment_note": "" if version == 1 else "Corrected a date.",
        "title": inspection.title,
        "hmicfrs_number": inspection.hmicfrs_number,
        "inspection_type": inspection.inspection_type,
        "service": inspection.service,
        "report_published_on": inspection.published_on,
        "deadline_last_day": inspection.published_on + datetime.timedelta(days=55),
        "days_taken": (published_on - inspection.published_on).days + 1,
        "html_file": default_storage.save(f"{folder}/statement.html", ContentFile(html.encode())),
        "pdf_file": default_storage.save(f"{folder}/statement.pdf", ContentFile(pdf)),
        "html_sha256": hashlib.sha256(html.encode()).hexdigest(),
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "pdf_size": len(pdf),
        "search_text": inspection.title,
        **fields,
    }
    publication = Publication.objects.create(response=response, **fields)
    Publication.objects.mark_latest(response.pk)
    publication.refresh_from_db()
    return publication


def date_parts(name: str, day: datetime.date) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: day, month and year, as a person types them."""
    parts = {"day": day.day, "month": day.month, "year": day.year}
    return {f"{name}_{part}": str(value) for part, value in parts.items()}


def clean_problems(obj) -> dict[str, list[str]]:
    """What full_clean() finds wrong with `obj`, by field; empty if nothing."""
    try:
        obj.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}
