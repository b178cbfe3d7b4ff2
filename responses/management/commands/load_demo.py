"""Loads demo users and data so every screen has something to show. Safe to run again."""

import datetime

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from inspections import deadlines
from inspections.models import Finding, Inspection, InspectionType, OfficeSettings, Service
from responses import roles
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Response, Status

DEMO_PASSWORD = "opfcc-demo-2026"

# username: (full name, roles)
DEMO_USERS = {
    "drafter": ("Dana Drafter", [roles.DRAFTER]),
    "reviewer": ("Rob Reviewer", [roles.REVIEWER]),
    "publisher": ("Pat Publisher", [roles.PUBLISHER]),
    "manager": ("Morgan Manager", [roles.REVIEWER, roles.PUBLISHER]),
    "admin": ("Ada Administrator", [roles.ADMINISTRATOR]),
}

# Generated inspections, dated relative to today so the deadlines stay interesting.
# (HMICFRS number, title, type, service, days since publication, state)
DEMO_INSPECTIONS = [
    (
        90001,
        "PEEL 2025–27: an inspection of Cumbria Constabulary",
        InspectionType.PEEL,
        Service.POLICE,
        6,
        None,
    ),
    (
        90002,
        "Activism and impartiality in policing",
        InspectionType.NATIONAL_THEMATIC,
        Service.POLICE,
        25,
        Status.DRAFT,
    ),
    (
        90003,
        "An inspection of vetting, misconduct and misogyny in the police service",
        InspectionType.NATIONAL_THEMATIC,
        Service.POLICE,
        50,
        Status.IN_REVIEW,
    ),
    (
        90004,
        "The police response to burglary, robbery and other acquisitive crime",
        InspectionType.NATIONAL_THEMATIC,
        Service.POLICE,
        62,
        Status.DRAFT,
    ),
    (
        90005,
        "Joint inspection of the criminal justice journey for victims of rape",
        InspectionType.JOINT_THEMATIC,
        Service.POLICE,
        53,
        Status.APPROVED,
    ),
    (
        90006,
        "An inspection of how well the police tackle serious youth violence",
        InspectionType.NATIONAL_THEMATIC,
        Service.POLICE,
        150,
        "published_on_time",
    ),
    (
        90007,
        "Custody services in Cumbria: an unannounced inspection",
        InspectionType.FORCE_SPECIFIC,
        Service.POLICE,
        240,
        "published_late",
    ),
    (
        90008,
        "Cumbria Fire and Rescue Service: effectiveness, efficiency and people",
        InspectionType.FIRE,
        Service.FIRE,
        20,
        Status.DRAFT,
    ),
]

DEMO_FINDINGS = [
    (
        "recommendation",
        "Recommendation 1",
        180,
        "By {due}, chief constables should make sure that their forces record and review "
        "every decision in line with national guidance.",
    ),
    (
        "recommendation",
        "Recommendation 2",
        20,
        "By {due}, chief constables should make sure that officers receive refresher training.",
    ),
    (
        "afi",
        "AFI 1",
        None,
        "The force should improve how it records the outcomes of its partnership work.",
    ),
]


class Command(BaseCommand):
    help = "Creates demo users and inspections in every state. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        OfficeSettings.load()
        users = self.create_users()
        for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
            import_statement_file(path)
        today = deadlines.today()
        for row in DEMO_INSPECTIONS:
            self.create_inspection(row, today=today, users=users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for username, (name, role_names) in DEMO_USERS.items():
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}  ({name}: {', '.join(role_names)})")

    def create_users(self) -> dict[str, User]:
        users = {}
        for username, (full_name, role_names) in DEMO_USERS.items():
            first, last = full_name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@opfcc.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = username == "admin"
                user.save()
            user.groups.add(*Group.objects.filter(name__in=role_names))
            users[username] = user
        return users

    def create_inspection(self, row, *, today: datetime.date, users: dict[str, User]) -> None:
        number, title, inspection_type, service, days_ago, state = row
        if Inspection.objects.filter(hmicfrs_number=number).exists():
            return
        published_on = today - datetime.timedelta(days=days_ago)
        inspection = Inspection.objects.create(
            hmicfrs_number=number,
            title=title,
            inspection_type=inspection_type,
            service=service,
            published_on=published_on,
            key_findings=(
                "HMICFRS examined how well forces meet this challenge.\n\n"
                "- Leadership and governance\n- Training and guidance\n- Outcomes for victims"
            ),
            report_url="https://hmicfrs.justiceinspectorates.gov.uk/publications/",
        )
        self.create_findings(inspection, published_on)
        if state is not None:
            self.create_response(inspection, state, users=users)

    def create_findings(self, inspection: Inspection, published_on: datetime.date) -> None:
        for order, (kind, reference, due_in, text) in enumerate(DEMO_FINDINGS, start=1):
            due = published_on + datetime.timedelta(days=due_in) if due_in else None
            Finding.objects.create(
                inspection=inspection,
                order=order,
                kind=kind,
                reference=reference,
                text=text.format(due=f"{due:%-d %B %Y}" if due else "").removeprefix("By , "),
                addressee="chief constables" if kind == "recommendation" else "the force",
                due_date=due,
                due_precision="day" if due else "none",
                due_phrase=f"By {due:%-d %B %Y}" if due else "",
            )

    def create_response(self, inspection: Inspection, state: str, *, users) -> None:
        response = Response.objects.create(
            inspection=inspection,
            owner=users["drafter"],
            commissioner_comments=(
                "I welcome this report from His Majesty's Inspectorate of Constabulary and Fire "
                "and Rescue Services and will hold the Chief Constable to account for progress."
            ),
        )
        deadline = inspection.deadline()
        if state == "published_on_time":
            response.status = Status.PUBLISHED
            response.published_on = inspection.published_on + datetime.timedelta(days=40)
        elif state == "published_late":
            response.status = Status.PUBLISHED
            response.published_on = deadline.last_day + datetime.timedelta(days=4)
        else:
            response.status = state
        response.save()
