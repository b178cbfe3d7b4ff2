"""AUTH_MODE: whose passwords are accepted, the break-glass administrator, and the record of
every password sign-in and refusal."""

import logging

import pytest
from django.urls import reverse

from pfcc.models import SignInRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def sso_only(settings):
    settings.AUTH_MODE = "sso"
    settings.BREAK_GLASS_USERNAME = "ada"


def test_a_password_sign_in_is_recorded_with_the_roles_held(client, drafter):
    response = _sign_in(client, "dana")

    assert response.url == reverse("dashboard")
    record = SignInRecord.objects.get()
    assert (record.kind, record.via, record.user, record.roles) == (
        "signed_in",
        "password",
        drafter,
        "Drafter",
    )
    assert (record.username, record.provider, record.ip_address) == ("dana", "", "127.0.0.1")


def test_a_wrong_password_is_recorded_as_a_refusal_with_the_name_typed(client, drafter):
    _sign_in(client, "Dana", "wrong")

    record = SignInRecord.objects.get()
    assert (record.kind, record.via, record.user, record.username) == (
        "refused",
        "password",
        None,
        "Dana",
    )
    assert record.detail == "Wrong username or password, or the account is turned off."


def test_passwords_still_work_alongside_single_sign_on(client, drafter, settings):
    settings.AUTH_MODE = "both"

    assert _sign_in(client, "dana").url == reverse("dashboard")


def test_sso_mode_refuses_the_right_password_logs_and_records_it(client, drafter, sso_only, caplog):
    with caplog.at_level(logging.WARNING, logger="pfcc.auth"):
        response = _sign_in(client, "dana")

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Password sign-in refused for 'dana': AUTH_MODE is sso" in caplog.text
    record = SignInRecord.objects.get()
    assert (record.kind, record.via, record.username) == ("refused", "password", "dana")
    assert "Passwords are turned off" in record.detail


def test_the_admin_has_no_password_form_of_its_own(client, drafter, sso_only):
    response = client.post(reverse("admin:login"), {"username": "dana", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_sso_mode_refused_passwords_count_towards_the_lock_out(client, drafter, sso_only, settings):
    settings.AXES_FAILURE_LIMIT = 2
    _sign_in(client, "dana")

    assert _sign_in(client, "dana").status_code == 429


def test_the_break_glass_administrator_signs_in_with_a_warning_and_a_record(
    client, administrator, sso_only, caplog
):
    with caplog.at_level(logging.WARNING, logger="pfcc.auth"):
        response = _sign_in(client, "ada")

    assert response.url == reverse("dashboard")
    warning = next(r for r in caplog.records if "BREAK-GLASS" in r.getMessage())
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == (
        "BREAK-GLASS sign-in with a password by 'ada' while AUTH_MODE is sso"
    )
    record = SignInRecord.objects.get()
    assert (record.kind, record.via, record.user, record.roles) == (
        "signed_in",
        "break_glass",
        administrator,
        "Administrator",
    )


def test_the_break_glass_administrator_still_needs_the_right_password(
    client, administrator, sso_only
):
    _sign_in(client, "ada", "wrong")

    assert "_auth_user_id" not in client.session
    assert SignInRecord.objects.get().kind == "refused"


def test_sso_mode_without_a_break_glass_administrator_refuses_every_password(
    client, administrator, settings
):
    settings.AUTH_MODE = "sso"
    settings.BREAK_GLASS_USERNAME = None

    _sign_in(client, "ada")

    assert "_auth_user_id" not in client.session
