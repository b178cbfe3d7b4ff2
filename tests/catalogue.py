"""Every URL of the site, made concrete on a world where every record exists with every field set.

The generic tests walk this catalogue: the access matrix (tests/pfcc/test_access.py) and every
other test that must cover all pages (generated bad input, saving edit forms unchanged in
Chromium, the HTML checker, reflow). `test_every_url_is_catalogued` fails when a URL pattern has
no page here, so a new URL is covered by all of them as soon as it exists: add a `Page` for it,
saying who may use it.

The Django admin is left out: its URLs are made per model and checked by tests/pfcc/test_admin.py.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from inspections import deadlines, tracking
from inspections.models import (
    DuePrecision,
    FindingKind,
    ForceContributor,
    HmicfrsPosition,
    InspectionType,
    Service,
    TrackingStatus,
)
from responses import calendar, publishing, roles, workflow
from responses.models import ExportFile, ExportStatus, JobRun, Response
from tests.conftest import PASSWORD
from tests.factories import make_finding, make_inspection

ANONYMOUS = "anonymous"
# Each persona holds one role, so the matrix reads role by role; "outsider" is signed in with none.
PERSONA_ROLES = {
    "outsider": None,
    "drafter": roles.DRAFTER,
    "reviewer": roles.REVIEWER,
    "publisher": roles.PUBLISHER,
    "administrator": roles.ADMINISTRATOR,
    # The chief constable's office, and the fire service's: they reach only /force/.
    "force": roles.FORCE_CONTRIBUTOR,
    "fire_force": roles.FORCE_CONTRIBUTOR,
}
PERSONA_SERVICES = {"force": Service.POLICE, "fire_force": Service.FIRE}
PERSONAS = (ANONYMOUS, *PERSONA_ROLES)

DRAFTERS = frozenset({"drafter"})
REVIEWERS = frozenset({"reviewer"})
PUBLISHERS = frozenset({"publisher"})
# Everyone who works on responses: they see inspections, findings, responses and the dashboard.
OFFICE = DRAFTERS | REVIEWERS | PUBLISHERS
# Anyone at all, signed in or not.
EVERYONE = frozenset(PERSONAS)
# The police force's contributor, to whom the world's police records are addressed.
FORCE = frozenset({"force"})
FORCES = frozenset(PERSONA_SERVICES)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    """One of everything, every optional field filled, so every page has something to show."""

    users: dict[str, User]
    police: object  # Inspection with every field set, its response in draft
    concern: object
    recommendation: object  # answers the concern; owned, dated, tracked, with progress
    afi: object
    not_applicable: object
    draft: Response
    comment: object
    progress: object
    approved: Response
    published: Response
    publication: object
    fire: object  # fire inspection with its action plan on the public site
    # A police response whose chief constable's comments came from the force: submitted with a
    # file, then a correction drafted with a file.
    invited: Response
    invitation: object
    comments_file: object  # of the submitted comments
    draft_file: object  # of the correction being drafted
    accepted: object  # the force's progress on the recommendation, accepted (with a file)
    pending: object  # the force's progress on the AFI, awaiting assurance
    calendar_token: str
    response_history_id: int = 0
    extra: dict = field(default_factory=dict)


def make_personas() -> dict[str, User]:
    # Transactional (browser) tests flush the tables, taking the migrations' role groups too.
    if not Group.objects.filter(name=roles.DRAFTER).exists():
        roles.sync_roles(apps)
    users = {}
    for username, role in PERSONA_ROLES.items():
        user = User.objects.create_user(
            username,
            email=f"{username}@opfcc.example",
            password=PASSWORD,
            first_name=username.capitalize(),
            last_name="Persona",
            # Administrators work in the Django admin.
            is_staff=role == roles.ADMINISTRATOR,
        )
        if role:
            user.groups.set(Group.objects.filter(name=role))
        if username in PERSONA_SERVICES:
            ForceContributor.objects.create(user=user, service=PERSONA_SERVICES[username])
        users[username] = user
    return users


def _complete_response(inspection, users, *, state: str) -> Response:
    """A response walked through the real workflow to `state` (approved or published)."""
    drafter, reviewer = users["drafter"], users["reviewer"]
    response = workflow.start_response(inspection=inspection, actor=drafter)
    workflow.save_response_fields(
        response=response,
        actor=drafter,
        values={"commissioner_comments": "I welcome this report and will hold the force to it."},
        loaded_version=response.version,
        what="the commissioner's comments",
    )
    for finding in inspection.findings.filter(applies=True):
        workflow.save_answer(
            response=response,
            finding_id=finding.pk,
            actor=drafter,
            text="The force has a plan, which I will review every quarter.",
            loaded_version=0,
        )
    workflow.submit(response=response, actor=drafter)
    workflow.approve(response=response, actor=reviewer)
    if state == "published":
        publishing.publish_statement(response=response, by=users["publisher"])
    return Response.objects.get(pk=response.pk)


def build_world() -> World:
    users = make_personas()
    today = deadlines.today()
    published_on = today - datetime.timedelta(days=20)
    police = make_inspection(
        title="PEEL 2025–27: an inspection of Cumbria Constabulary",
        published_on=published_on,
        inspection_type=InspectionType.PEEL,
        key_findings="HMICFRS examined:\n\n- leadership\n- training",
        report_url="https://hmicfrs.justiceinspectorates.gov.uk/publications/peel-2025/",
    )
    concern = make_finding(
        police,
        kind=FindingKind.CONCERN,
        reference="Cause of concern 1",
        text="The force does not record crime accurately.",
        addressee="the force",
    )
    due = published_on + datetime.timedelta(days=120)
    recommendation = make_finding(
        police,
        reference="Recommendation 1",
        hmicfrs_number=51001,
        level=3,
        text=f"By {due:%-d %B %Y}, the force should audit its crime records.",
        addressee="the force",
        due_date=due,
        due_precision=DuePrecision.DAY,
        due_phrase=f"By {due:%-d %B %Y}",
        concern=concern,
        owner=users["drafter"],
        owner_team="Crime Command",
    )
    afi = make_finding(
        police,
        kind=FindingKind.AFI,
        reference="AFI 1",
        hmicfrs_number=51002,
        level=2,
        text="The force should improve how it trains call handlers.",
        addressee="the force",
    )
    not_applicable = make_finding(
        police,
        reference="Recommendation 2",
        text="The Home Office should review the funding formula.",
        addressee="the Home Office",
        applies=False,
        not_applicable_reason="Addressed to the Home Office only.",
    )
    drafter = users["drafter"]
    draft = workflow.start_response(inspection=police, actor=drafter)
    workflow.save_response_fields(
        response=draft,
        actor=drafter,
        values={
            "commissioner_comments": "I welcome this report.\n\n- I will review it quarterly.",
            # Typed in by the drafter, not yet received: the force can still be invited.
            "chief_constable_requested_on": published_on + datetime.timedelta(days=2),
            "chief_constable_due_on": published_on + datetime.timedelta(days=36),
            "chief_constable_comments": "The Constabulary welcomes the report.",
            "chief_constable_absence_reason": "",
            "reply_to_chief_constable": "I will hold the Chief Constable to account.",
        },
        loaded_version=draft.version,
        what="every section",
    )
    for finding in (recommendation, afi):
        workflow.save_answer(
            response=draft,
            finding_id=finding.pk,
            actor=drafter,
            text=f"Action on {finding.reference}: a working group reports in March.",
            loaded_version=0,
        )
    draft.refresh_from_db()
    comment = workflow.add_comment(
        response=draft,
        actor=users["reviewer"],
        text="Say when the Executive Board next reviews progress.",
        section="commissioner",
    )
    progress = tracking.add_progress(
        finding=recommendation,
        text="An audit plan is agreed.",
        evidence=ContentFile(PDF_BYTES, name="audit-plan.pdf"),
        by=drafter,
    )
    tracking.revise_target(
        finding=recommendation,
        revised_date=due + datetime.timedelta(days=60),
        reason="The national audit standard was delayed.",
        approved_by_name="Deputy Chief Constable",
        by=drafter,
    )

    force, reviewer = users["force"], users["reviewer"]
    files = lambda name: [ContentFile(PDF_BYTES, name=name)]  # noqa: E731
    returned = tracking.submit_progress(
        finding=recommendation,
        by=force,
        narrative="The audit has started.",
        claimed_status=TrackingStatus.IN_PROGRESS,
        files=files("audit-start.pdf"),
    )
    tracking.return_submission(
        submission=returned, by=reviewer, note="Send the audit's terms of reference."
    )
    accepted = tracking.submit_progress(
        finding=recommendation,
        by=force,
        narrative="The audit is done; the new recording standard is in force.",
        claimed_status=TrackingStatus.IMPLEMENTED,
        revised_target=due + datetime.timedelta(days=90),
        revised_target_reason="The audit's findings are being trained into every team.",
        files=files("terms-of-reference.pdf"),
    )
    tracking.accept_submission(submission=accepted, by=reviewer, note="Assured at the board.")
    pending = tracking.submit_progress(
        finding=afi,
        by=force,
        narrative="Every call handler has been trained.",
        claimed_status=TrackingStatus.COMPLETED,
        files=files("training-record.pdf"),
    )
    tracking.set_hmicfrs_position(
        finding=concern,
        position=HmicfrsPosition.CLOSED,
        closed_on=today,
        reference="HMICFRS letter of " + deadlines.in_words(today),
        superseded_by=None,
        by=drafter,
        loaded_version=concern.version,
    )

    invited_inspection = make_inspection(
        title="An inspection of vetting, misconduct and misogyny in the police service",
        published_on=today - datetime.timedelta(days=15),
    )
    invited = workflow.start_response(inspection=invited_inspection, actor=drafter)
    invitation = workflow.invite_chief_officer(
        response=invited,
        actor=drafter,
        recipients=[force],
        due_on=today + datetime.timedelta(days=14),
        message="Please cover vetting of new recruits.",
    )
    sent, _ = workflow.submit_comments(
        invitation=invitation,
        author=force,
        text="The Chief Constable welcomes the report.\n\n- Vetting is reviewed.",
        loaded_version=0,
        files=files("vetting-plan.pdf"),
    )
    correction, _ = workflow.save_comments_draft(
        invitation=invitation,
        author=force,
        text="The Chief Constable welcomes the report and its recommendations.",
        loaded_version=0,
        files=files("vetting-plan-v2.pdf"),
    )

    approved_inspection = make_inspection(
        title="Joint inspection of the criminal justice journey for victims of rape",
        published_on=today - datetime.timedelta(days=30),
        inspection_type=InspectionType.JOINT_THEMATIC,
    )
    make_finding(approved_inspection)
    approved = _complete_response(approved_inspection, users, state="approved")

    published_inspection = make_inspection(
        title="How well the police tackle serious youth violence",
        published_on=today - datetime.timedelta(days=40),
    )
    make_finding(published_inspection)
    published = _complete_response(published_inspection, users, state="published")

    fire = make_inspection(
        title="Cumbria Fire and Rescue Service: effectiveness, efficiency and people",
        published_on=today - datetime.timedelta(days=10),
        inspection_type=InspectionType.FIRE,
        service=Service.FIRE,
    )
    make_finding(
        fire,
        kind=FindingKind.AFI,
        reference="AFI 1",
        text="The service should make sure its prevention work is evaluated.",
        addressee="the service",
    )
    tracking.publish_action_plan(inspection=fire, on=today, by=users["publisher"])
    token = calendar.issue_token(user=drafter)
    # An export made in the background (responses.tasks), ready to download.
    export_file = ExportFile(
        kind="findings", fmt="csv", requested_by=drafter, status=ExportStatus.READY,
        rows_total=1, rows_done=1, filename="findings.csv",
    )  # fmt: skip
    export_file.file.save("exports/findings.csv", ContentFile(b"Reference\r\nRec 01\r\n"))
    # The reminders job has run lately, so /healthz reports every part working.
    JobRun.objects.create(command="send_reminders", finished_at=timezone.now())

    return World(
        users=users,
        police=police,
        concern=concern,
        recommendation=recommendation,
        afi=afi,
        not_applicable=not_applicable,
        draft=draft,
        comment=comment,
        progress=progress,
        approved=approved,
        published=published,
        publication=published.publications.get(),
        fire=fire,
        invited=Response.objects.get(pk=invited.pk),
        invitation=invitation,
        comments_file=sent.attachments.get(),
        draft_file=correction.attachments.get(),
        accepted=accepted,
        pending=pending,
        calendar_token=token.token,
        response_history_id=draft.history.order_by("history_id").first().history_id,
        extra={"export": export_file},
    )


@dataclass(frozen=True)
class Page:
    """One concrete URL: who may use it, and how.

    `who` are the personas let in (everyone else signed in gets 403, anonymous people go to
    the sign-in page), and `status` what a GET answers them. `method` POST marks a view that
    only takes posts. `edit` marks a form showing a stored record: saving it unchanged (with
    the button named `save`) must leave the record as it was. tests/pfcc/test_saving_unchanged.py
    checks that no other page posts back stored values.
    """

    name: str
    who: frozenset[str]
    args: Callable[[World], tuple] = lambda world: ()
    method: str = "GET"
    query: str = ""
    edit: bool = False
    label: str = ""
    status: int = 200
    save: str = "Save"

    def path(self, world: World) -> str:
        return reverse(self.name, args=self.args(world)) + self.query

    def __str__(self):
        return self.label or self.name


def _pages() -> list[Page]:
    police = lambda w: (w.police.pk,)  # noqa: E731
    finding = lambda w: (w.recommendation.pk,)  # noqa: E731
    draft = lambda w: (w.draft.pk,)  # noqa: E731
    public_id = lambda w: (w.published.inspection.public_id,)  # noqa: E731
    pages = [
        Page("login", EVERYONE),
        Page("logout", EVERYONE, method="POST"),
        Page("healthz", EVERYONE),
        # Single sign-on is off in this world (AUTH_MODE=local), so its pages are not there;
        # tests/pfcc/test_sso.py walks them with it on, against a real OpenID provider.
        Page("sso-start", EVERYONE, status=404),
        Page("sso-callback", EVERYONE, query="?code=a-code&state=a-state", status=404),
        # Inspections and findings.
        Page("inspection-list", OFFICE),
        Page("inspection-create", DRAFTERS),
        Page("inspection-detail", OFFICE, police),
        Page("inspection-edit", DRAFTERS, police, edit=True),
        Page("inspection-history", OFFICE, police),
        Page("finding-add", DRAFTERS, police),
        Page("finding-edit", DRAFTERS, finding, edit=True),
        Page("finding-edit", DRAFTERS, lambda w: (w.not_applicable.pk,), edit=True,
             label="finding-edit (not applicable)"),
        Page("finding-delete", DRAFTERS, lambda w: (w.afi.pk,)),
        Page("finding-move", DRAFTERS, lambda w: (w.afi.pk, "up"), method="POST"),
        Page("findings-paste", DRAFTERS, police),
        Page("findings-confirm", DRAFTERS, police, method="POST"),
        # Action plans and tracking.
        Page("action-plan", OFFICE),
        Page("action-plan-pdf", OFFICE),
        Page("action-plan-inspection", OFFICE, police),
        Page("action-plan-inspection-pdf", OFFICE, police),
        Page("action-plan-publish", PUBLISHERS, lambda w: (w.fire.pk,), method="POST"),
        Page("finding-tracking", OFFICE, finding, edit=True, save="Save owner"),
        Page("finding-tracking", OFFICE, lambda w: (w.concern.pk,), edit=True,
             save="Save HMICFRS's position", label="finding-tracking (HMICFRS's position)"),
        Page("finding-tracking-update", DRAFTERS, finding, method="POST"),
        Page("finding-hmicfrs-position", DRAFTERS, finding, method="POST"),
        # Accepting or returning the force's progress: Reviewers are Assurers.
        Page("submission-decide", REVIEWERS, lambda w: (w.pending.pk,), method="POST"),
        Page("submission-file", OFFICE,
             lambda w: (w.accepted.pk, w.accepted.files.get().pk)),
        # The finding's owner may record progress too: the owner here is the drafter.
        Page("finding-progress-add", DRAFTERS, finding, method="POST"),
        Page("finding-target-revise", DRAFTERS, finding, method="POST"),
        Page("progress-evidence", OFFICE, lambda w: (w.recommendation.pk, w.progress.pk)),
        # Responses.
        Page("response-start", DRAFTERS, lambda w: (w.fire.pk,), method="POST"),
        # The owner picker shows who owns it now.
        Page("response-detail", OFFICE, draft, edit=True, save="Assign"),
        *(
            Page("response-section-edit", DRAFTERS, lambda w, k=key: (w.draft.pk, k),
                 edit=True, label=f"response-section-edit ({key})")
            for key in ("commissioner", "chief-constable", "reply")
        ),
        Page("response-answer-edit", DRAFTERS, lambda w: (w.draft.pk, w.recommendation.pk),
             edit=True),
        # What the force sent is shown, not edited: the section's other fields are.
        Page("response-section-edit", DRAFTERS, lambda w: (w.invited.pk, "chief-constable"),
             edit=True, label="response-section-edit (chief-constable, from the force)"),
        Page("response-detail", OFFICE, lambda w: (w.invited.pk,), edit=True, save="Assign",
             label="response-detail (comments from the force)"),
        Page("response-invite", DRAFTERS, draft),
        Page("response-comments-attachment", OFFICE,
             lambda w: (w.invited.pk, w.comments_file.pk)),
        Page("response-assign-owner", DRAFTERS, draft, method="POST"),
        *(
            Page("response-action", who, lambda w, a=action: (w.draft.pk, a), method="POST",
                 label=f"response-action ({action})")
            for action, who in (
                ("submit", DRAFTERS),
                ("withdraw", DRAFTERS),
                ("amend", DRAFTERS),
                ("request_changes", REVIEWERS),
                ("approve", REVIEWERS),
            )
        ),
        Page("response-comment-add", REVIEWERS, draft, method="POST"),
        Page("comment-resolve", DRAFTERS | REVIEWERS, lambda w: (w.comment.pk,), method="POST"),
        Page("response-history", OFFICE, draft),
        Page("response-restore", DRAFTERS,
             lambda w: (w.draft.pk, "response", w.response_history_id), method="POST"),
        # Oversight.
        Page("dashboard", OFFICE),
        Page("deadline-list", OFFICE, query="?panel=overdue"),
        # The lists behind the figures show three kinds of row: deadlines, onward copies and
        # published responses.
        Page("deadline-list", OFFICE, query="?panel=copies", label="deadline-list (copies)"),
        Page("deadline-list", OFFICE, query="?panel=published", label="deadline-list (published)"),
        Page("calendar-settings", OFFICE),
        # No sign-in: calendar programs cannot log in, so the secret token is the key.
        Page("calendar-feed", EVERYONE, lambda w: (w.calendar_token,)),
        *(
            Page("export", OFFICE, lambda w, k=kind, f=fmt: (k, f), label=f"export {kind}.{fmt}")
            for kind in ("inspections", "findings", "responses")
            for fmt in ("csv", "xlsx")
        ),
        Page("export-status", OFFICE, lambda w: (w.extra["export"].pk,)),
        Page("export-download", OFFICE, lambda w: (w.extra["export"].pk,)),
        # Publication.
        Page("response-preview", OFFICE, draft),
        Page("response-preview-pdf", OFFICE, draft),
        Page("response-publish", PUBLISHERS, lambda w: (w.approved.pk,)),
        Page("response-publications", OFFICE, lambda w: (w.published.pk,)),
        Page("publication-onward-copy", PUBLISHERS, lambda w: (w.publication.pk,),
             method="POST"),
        # The force's own pages.
        Page("force-home", FORCES),
        Page("force-inspection-list", FORCES),
        Page("force-inspection", FORCE, police),
        Page("force-finding", FORCE, finding),
        Page("force-progress-submit", FORCE, finding, method="POST"),
        Page("force-submission-file", FORCE,
             lambda w: (w.accepted.pk, w.accepted.files.get().pk)),
        Page("force-invitation", FORCE, lambda w: (w.invitation.pk,), edit=True,
             save="Save draft"),
        Page("force-comments", FORCE, lambda w: (w.invitation.pk,), method="POST"),
        Page("force-attachment", FORCE,
             lambda w: (w.draft_file.comments_id, w.draft_file.pk)),
        Page("force-attachment-remove", FORCE,
             lambda w: (w.draft_file.comments_id, w.draft_file.pk), method="POST"),
        # The public site.
        Page("public-home", EVERYONE),
        Page("public-response", EVERYONE, public_id),
        Page("public-response-version", EVERYONE, lambda w: (*public_id(w), 1)),
        Page("public-pdf", EVERYONE, lambda w: (*public_id(w), 1)),
        Page("public-html-file", EVERYONE, lambda w: (*public_id(w), 1)),
        Page("public-on-time", EVERYONE),
        Page("public-open-data", EVERYONE),
        Page("public-open-data-csv", EVERYONE),
        Page("public-open-data-json", EVERYONE),
        Page("public-open-data-versions-csv", EVERYONE),
        Page("public-feed", EVERYONE),
        Page("public-accessibility", EVERYONE),
        Page("robots-txt", EVERYONE),
        Page("sitemap", EVERYONE),
        Page("sitemap-section", EVERYONE, lambda w: ("responses",)),
        Page("public-action-plans", EVERYONE),
        Page("public-action-plan", EVERYONE, lambda w: (w.fire.public_id,)),
        Page("public-action-plan-pdf", EVERYONE, lambda w: (w.fire.public_id,)),
    ]  # fmt: skip
    return pages


PAGES: list[Page] = _pages()


def url_names(patterns=None, *, namespace: str = "") -> set[str]:
    """The names of every URL pattern outside the admin."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            names |= url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            names.add(pattern.name)
    return names


def pages_for(persona: str, *, method: str | None = None) -> list[Page]:
    """The pages `persona` may use (with `method`, only those taking it)."""
    return [p for p in PAGES if persona in p.who and (method is None or p.method == method)]
