"""Notifications of a response's progress: recorded with the step, sent after it commits, and
never failing the request when the mail server is down."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from responses import workflow
from responses.models import DeliveryStatus, JobRun, Notification, Status
from tests.factories import make_finding, make_inspection
from tests.mail_helpers import FAILING_MAILERS, WORKING_MAILERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(drafter):
    inspection = make_inspection(title="Police response to burglary")
    make_finding(inspection)
    return workflow.start_response(inspection=inspection, actor=drafter)


def in_review(response, drafter):
    workflow.submit(response=response, actor=drafter)
    return response


def changes_requested(response, drafter, reviewer):
    in_review(response, drafter)
    workflow.request_changes(response=response, actor=reviewer, reason="More detail.")
    return response


# (what the response is before, who acts, the action, the state after)
STEPS = [
    ("draft", "drafter", "submit", Status.IN_REVIEW),
    ("in review", "reviewer", "request_changes", Status.CHANGES_REQUESTED),
    ("changes requested", "drafter", "submit", Status.IN_REVIEW),
]
BEFORE = {
    "draft": lambda response, drafter, reviewer: response,
    "in review": lambda response, drafter, reviewer: in_review(response, drafter),
    "changes requested": changes_requested,
}


@pytest.mark.parametrize(("before", "actor", "action", "after"), STEPS)
def test_with_the_mail_server_down_the_step_is_saved_and_the_user_told(
    client,
    settings,
    response,
    drafter,
    reviewer,
    django_capture_on_commit_callbacks,
    before,
    actor,
    action,
    after,
):
    BEFORE[before](response, drafter, reviewer)
    settings.MAILERS = FAILING_MAILERS
    client.force_login(drafter if actor == "drafter" else reviewer)
    # The emails go when the step commits, before the browser follows the redirect.
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            reverse("response-action", args=[response.pk, action]), {"reason": "More detail."}
        )
    page = client.get(posted["Location"])
    assert page.status_code == 200
    response.refresh_from_db()
    assert response.status == after
    notification = Notification.objects.latest("pk")
    assert notification.status == DeliveryStatus.FAILED
    assert "mail server down" in notification.last_error
    banner = page.content.decode()
    assert "about this response could not be sent" in banner
    assert notification.subject in banner


def test_a_failed_notification_is_sent_by_the_next_reminders_run(
    client, settings, response, drafter, reviewer, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING_MAILERS
    with django_capture_on_commit_callbacks(execute=True):
        in_review(response, drafter)
    settings.MAILERS = WORKING_MAILERS
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 2)
    assert JobRun.objects.get(command="send_reminders").finished_at
    client.force_login(drafter)
    page = client.get(reverse("response-detail", args=[response.pk]))
    assert "could not be sent" not in page.content.decode()


def test_a_notification_whose_sending_never_ran_is_sent_by_the_next_run(
    response, drafter, reviewer
):
    # The step committed, then the process died before sending: the record is still pending.
    in_review(response, drafter)
    assert Notification.objects.get().status == DeliveryStatus.PENDING
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == DeliveryStatus.SENT


def test_a_notification_is_sent_once_the_step_commits(
    response, drafter, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        in_review(response, drafter)
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == [reviewer.email]
    assert "Submit for review" in mail.outbox[0].subject


def test_a_refused_step_records_no_notification(response, reviewer):
    with pytest.raises(workflow.Refused):
        workflow.submit(response=response, actor=reviewer)
    assert not Notification.objects.exists()


def test_nobody_to_tell_records_nothing(response, drafter, reviewer):
    reviewer.is_active = False
    reviewer.save()
    in_review(response, drafter)
    assert not Notification.objects.exists()


def test_the_dry_run_lists_notifications_to_send_again(response, drafter, reviewer, capsys):
    in_review(response, drafter)
    call_command("send_reminders", "--dry-run")
    assert f"Would send again to {reviewer.email}: Submit for review" in capsys.readouterr().out
    assert mail.outbox == []
