"""Loads demo users and data so every screen has something to show. Safe to run again."""

import datetime

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from inspections import deadlines, services, tracking
from inspections.models import (
    Finding,
    ForceContributor,
    Inspection,
    InspectionType,
    OfficeSettings,
    Service,
    TrackingStatus,
)
from responses import publishing, roles, workflow
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
    "force": ("Frankie Force", [roles.FORCE_CONTRIBUTOR]),
    "fire": ("Fern Fireservice", [roles.FORCE_CONTRIBUTOR]),
}
# The service each force contributor works for.
DEMO_SERVICES = {"force": Service.POLICE, "fire": Service.FIRE}
# The draft response whose chief constable's comments the force is asked for.
INVITED = 90002

# Generated inspections, dated relative to today so the deadlines stay interesting.
# (HMICFRS number, title, type, service, days since publication, state)
DEMO_INSPECTIONS = [
    (90001, "PEEL 2025–27: an inspection of Cumbria Constabulary", InspectionType.PEEL,
     Service.POLICE, 6, None),
    (90002, "Activism and impartiality in policing", InspectionType.NATIONAL_THEMATIC,
     Service.POLICE, 25, Status.DRAFT),
    (90009, "An inspection of the police contribution to the Prevent programme",
     InspectionType.NATIONAL_THEMATIC, Service.POLICE, 45, Status.DRAFT),
    (90010, "How well the police use stop and search powers",
     InspectionType.NATIONAL_THEMATIC, Service.POLICE, 36, Status.CHANGES_REQUESTED),
    (90003, "An inspection of vetting, misconduct and misogyny in the police service",
     InspectionType.NATIONAL_THEMATIC, Service.POLICE, 50, Status.IN_REVIEW),
    (90004, "The police response to burglary, robbery and other acquisitive crime",
     InspectionType.NATIONAL_THEMATIC, Service.POLICE, 62, Status.DRAFT),
    (90005, "Joint inspection of the criminal justice journey for victims of rape",
     InspectionType.JOINT_THEMATIC, Service.POLICE, 53, Status.APPROVED),
    (90006, "An inspection of how well the police tackle serious youth violence",
     InspectionType.NATIONAL_THEMATIC, Service.POLICE, 150, "published_on_time"),
    (90007, "Custody services in Cumbria: an unannounced inspection",
     InspectionType.FORCE_SPECIFIC, Service.POLICE, 240, "published_late"),
    (90008, "Cumbria Fire and Rescue Service: effectiveness, efficiency and people",
     InspectionType.FIRE, Service.FIRE, 20, Status.DRAFT),
]  # fmt: skip

DEMO_FINDINGS = [
    ("recommendation", "Recommendation 1", 180,
     "By {due}, chief constables should make sure that their forces record and review "
     "every decision in line with national guidance."),
    ("recommendation", "Recommendation 2", 20,
     "By {due}, chief constables should make sure that officers receive refresher training."),
    ("afi", "AFI 1", None,
     "The force should improve how it records the outcomes of its partnership work."),
]  # fmt: skip

DEMO_TEAMS = ["Professional Standards Department", "Learning and Development", "Crime Command"]

COMMISSIONER_COMMENTS = (
    "I welcome this report from His Majesty's Inspectorate of Constabulary and Fire and Rescue "
    "Services. I will hold the Chief Constable to account for progress on each recommendation "
    "through my Executive Board."
)
CHIEF_CONSTABLE_COMMENTS = (
    "The Constabulary welcomes this report. A superintendent leads a working group on each "
    "recommendation, and progress is reported to the commissioner's Executive Board."
)
ANSWER = (
    "The Constabulary has set up a working group led by a superintendent. I will review its "
    "progress at my Executive Board every quarter."
)


class Command(BaseCommand):
    help = "Creates demo users and inspections in every state. Running it again changes nothing."

    # The workflow notifies people as the demo walks through it: nobody should get that mail.
    @override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    )
    def handle(self, *args, **options):
        with transaction.atomic():
            self.load()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for username, (name, role_names) in DEMO_USERS.items():
            service = f", {DEMO_SERVICES[username].label}" if username in DEMO_SERVICES else ""
            self.stdout.write(
                f"  {username} / {DEMO_PASSWORD}  ({name}: {', '.join(role_names)}{service})"
            )

    def load(self) -> None:
        OfficeSettings.load()
        users = self.create_users()
        for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
            import_statement_file(path)
        today = deadlines.today()
        for row in DEMO_INSPECTIONS:
            self.create_inspection(row, today=today, users=users)

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
            if username in DEMO_SERVICES:
                ForceContributor.objects.get_or_create(
                    user=user, defaults={"service": DEMO_SERVICES[username]}
                )
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
        self.create_findings(inspection, published_on, users)
        if state is not None:
            self.create_response(inspection, state, users=users)
        if number == INVITED:
            self.invite_force(inspection.response, users=users)
        if state == "published_on_time":
            self.track_progress(inspection, users=users)
        if services.for_service(service).action_plan:
            tracking.publish_action_plan(inspection=inspection, on=published_on)

    def invite_force(self, response: Response, *, users) -> None:
        """The chief constable's comments asked for, and not yet sent."""
        workflow.invite_chief_officer(
            response=response,
            actor=users["drafter"],
            recipients=[users["force"]],
            due_on=deadlines.today() + datetime.timedelta(days=10),
            message="Please say how the force will make sure officers' use of social media "
            "stays impartial.",
        )

    def track_progress(self, inspection: Inspection, *, users) -> None:
        """An action plan under way: the force's progress accepted by the office, more of it
        awaiting assurance, a progress update and a target revised with a reason."""
        first, second = inspection.findings.filter(kind="recommendation").order_by("order")[:2]
        accepted = tracking.submit_progress(
            finding=first,
            by=users["force"],
            narrative="The decision-recording guidance is rewritten and in use in two districts.",
            claimed_status=TrackingStatus.IN_PROGRESS,
        )
        tracking.accept_submission(
            submission=accepted, by=users["reviewer"], note="Seen at the Executive Board."
        )
        tracking.submit_progress(
            finding=first,
            by=users["force"],
            narrative="The guidance is in use across the force; the audit of decisions is done.",
            claimed_status=TrackingStatus.IMPLEMENTED,
        )
        tracking.add_progress(
            finding=first,
            text="Guidance rewritten and agreed by the Executive Board; training starts soon.",
            evidence=None,
            by=users["manager"],
        )
        tracking.revise_target(
            finding=second,
            revised_date=deadlines.today() + datetime.timedelta(days=60),
            reason="The national training package was delayed by the College of Policing.",
            approved_by_name="Deputy Chief Constable",
            by=users["manager"],
        )

    def create_findings(self, inspection: Inspection, published_on: datetime.date, users) -> None:
        owners = [users["manager"], users["drafter"], None]
        for order, (kind, reference, due_in, text) in enumerate(DEMO_FINDINGS, start=1):
            due = published_on + datetime.timedelta(days=due_in) if due_in else None
            Finding.objects.create(
                owner=owners[order - 1],
                owner_team=DEMO_TEAMS[order - 1],
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
        """Walks the response through the real workflow, so its history reads true."""
        drafter, reviewer = users["drafter"], users["reviewer"]
        response = workflow.start_response(inspection=inspection, actor=drafter)
        workflow.save_response_fields(
            response=response,
            actor=drafter,
            values={"commissioner_comments": COMMISSIONER_COMMENTS},
            loaded_version=response.version,
            what="the commissioner's comments",
        )
        if state == Status.DRAFT:
            return
        if state.startswith("published"):
            self.quote_chief_constable(response, state, actor=drafter)
        for finding in inspection.findings.filter(applies=True):
            workflow.save_answer(
                response=response,
                finding_id=finding.pk,
                actor=drafter,
                text=ANSWER,
                loaded_version=0,
            )
        workflow.submit(response=response, actor=drafter)
        if state == Status.CHANGES_REQUESTED:
            workflow.add_comment(
                response=response,
                actor=reviewer,
                section="commissioner",
                text="Please say when the Executive Board will next review progress.",
            )
            workflow.request_changes(
                response=response,
                actor=reviewer,
                reason="See the comment on the commissioner's comments",
            )
            return
        if state == Status.IN_REVIEW:
            return
        workflow.approve(response=response, actor=reviewer)
        if state == Status.APPROVED:
            return
        self.mark_published(response, state, users=users)

    def quote_chief_constable(self, response: Response, state: str, *, actor) -> None:
        """The chief constable's comments, asked for and received by email before the force
        sent them through the tracker; the late statement's comments came after the deadline."""
        inspection = response.inspection
        published_on = inspection.published_on
        if state == "published_on_time":
            received_on = published_on + datetime.timedelta(days=30)
        else:
            received_on = inspection.deadline().last_day + datetime.timedelta(days=2)
        workflow.save_response_fields(
            response=response,
            actor=actor,
            values={
                "chief_constable_comments": CHIEF_CONSTABLE_COMMENTS,
                "chief_constable_requested_on": published_on + datetime.timedelta(days=7),
                "chief_constable_due_on": published_on + datetime.timedelta(days=28),
                "chief_constable_received_on": received_on,
            },
            loaded_version=response.version,
            what="the chief constable's comments",
        )

    def mark_published(self, response: Response, state: str, *, users) -> None:
        """Publishes through the real path, dated to when the office would have published."""
        inspection = response.inspection
        if state == "published_on_time":
            published_on = inspection.published_on + datetime.timedelta(days=39)
            late_reason = ""
        else:
            published_on = inspection.deadline().last_day + datetime.timedelta(days=4)
            late_reason = "The chief constable's comments arrived after the deadline."
        at = datetime.datetime.combine(published_on, datetime.time(10), datetime.UTC)
        publication = publishing.publish_statement(
            response=response, by=users["publisher"], late_reason=late_reason, at=at
        )
        if state == "published_on_time":
            for recipient in publishing.ONWARD_RECIPIENTS:
                publishing.record_onward_copy(
                    publication=publication,
                    recipient=recipient,
                    sent_on=published_on,
                    by=users["publisher"],
                )
