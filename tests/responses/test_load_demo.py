import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command

from inspections.models import Finding, Inspection, ProgressSubmission, SubmissionDecision
from responses.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS
from responses.models import Invitation, Publication, Response, Status

pytestmark = pytest.mark.django_db


def counts():
    models = (Inspection, Finding, Response, Publication)
    return tuple(model.objects.count() for model in models)


def test_it_creates_the_demo_users_named_in_the_readme(rf):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for username in DEMO_USERS:
        assert authenticate(rf.post("/"), username=username, password=DEMO_PASSWORD), username


def test_the_force_user_has_an_invitation_pending_and_progress_awaiting_assurance():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    force = User.objects.get(username="force")
    pending = Invitation.objects.filter(
        recipients=force, response__chief_constable_received_on__isnull=True
    )
    assert pending.exists()
    assert ProgressSubmission.objects.filter(
        submitted_by=force, decision=SubmissionDecision.PENDING
    ).exists()


def test_it_covers_every_state_a_screen_shows():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    statuses = set(Response.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED} <= statuses
    assert Inspection.objects.filter(response__isnull=True).exists()


def test_it_imports_the_offices_two_published_statements():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    imported = Response.objects.filter(imported=True, status=Status.PUBLISHED)
    assert set(imported.values_list("inspection__hmicfrs_number", flat=True)) >= {29536}
    assert imported.count() == 2
    # Published on the public site beside the generated data.
    assert Publication.objects.filter(imported=True, response__in=imported).count() == 2


def test_the_public_site_shows_the_imported_statements(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page = client.get("/", {"q": "#29536"}).content.decode()
    assert "north-west regional response to serious and organised crime" in page


def test_running_it_twice_duplicates_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_every_statement_it_publishes_quotes_the_chief_constable():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    published = Response.objects.filter(status=Status.PUBLISHED, imported=False)
    assert published.exists()
    for response in published:
        assert response.chief_constable_comments and response.chief_constable_received_on
        assert "The Constabulary welcomes this report" in response.publications.get().search_text
