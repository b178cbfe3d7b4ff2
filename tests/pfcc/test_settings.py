import os
import subprocess
import sys
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, transaction

from pfcc import settings


def load_settings(**env) -> subprocess.CompletedProcess:
    """Imports the settings module in a fresh interpreter with only `env` set."""
    unset = ("DEBUG", "SECRET_KEY", "EMAIL_HOST", "DATABASE_URL")
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in unset and not k.startswith(("OIDC_", "AUTH_MODE"))
    }
    code = (
        "import pfcc.settings as s; print(s.DATABASES['default']['ENGINE']);"
        "print(s.AUTH_MODE, *s.SECURE_CSP['form-action'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("Off", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert settings.env_bool("SOME_FLAG", not expected) is expected


def test_a_bad_boolean_is_an_error_not_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        settings.env_bool("SOME_FLAG", False)


def test_a_bad_number_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        settings.env_int("SOME_NUMBER", 1)


def test_nothing_set_means_sqlite_london_and_british_english():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["django.db.backends.sqlite3", "local 'self'"]
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def test_database_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/app")
    assert result.stdout.splitlines()[0] == "django.db.backends.postgresql"


def test_secret_key_is_required_outside_debug():
    result = load_settings(DEBUG="false", EMAIL_HOST="mail.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_turn_on_secure_cookies():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pfcc.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        ],
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 50, "EMAIL_HOST": "mail.example"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip() == "True True", result.stderr


@pytest.mark.django_db
def test_a_query_is_cut_off_by_the_statement_timeout_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT}s"
        # A query that would run longer is cancelled by the server at the limit.
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
            cursor.execute("SELECT pg_sleep(%s)", [settings.DATABASE_STATEMENT_TIMEOUT + 10])
        assert time.monotonic() - started < settings.DATABASE_STATEMENT_TIMEOUT + 5


def test_the_request_budget_and_one_last_query_fit_within_gunicorns_timeout():
    gunicorn_timeout = 30  # the README's deployment command
    assert settings.REQUEST_TIME_BUDGET + settings.DATABASE_STATEMENT_TIMEOUT < gunicorn_timeout


SSO = {
    "AUTH_MODE": "sso",
    "OIDC_ISSUER": "https://login.microsoftonline.com/3f1c0a52-0000-4000-8000-000000000000/v2.0",
    "OIDC_CLIENT_ID": "8a4f0000-0000-4000-8000-000000000000",
    "OIDC_CLIENT_SECRET": "secret",
}


def test_single_sign_on_lets_the_sign_out_form_send_the_browser_to_the_provider():
    result = load_settings(**SSO)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "sso 'self' https://login.microsoftonline.com"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AUTH_MODE": "sometimes"}, "AUTH_MODE must be one of local, both, sso, not 'sometimes'"),
        ({**SSO, "OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET must be set when AUTH_MODE is sso"),
        ({"AUTH_MODE": "both"}, "OIDC_ISSUER must be set when AUTH_MODE is both"),
        ({**SSO, "OIDC_ISSUER": "http://login.example"}, "OIDC_ISSUER must be an https://"),
        ({**SSO, "OIDC_SCOPES": "email profile"}, "OIDC_SCOPES must include openid"),
        (
            {**SSO, "OIDC_ROLE_MAP": "Tracker.Writer=Writer"},
            "OIDC_ROLE_MAP maps 'Tracker.Writer' to 'Writer', which is not one of Drafter,",
        ),
        ({**SSO, "OIDC_ROLE_MAP": "Drafter"}, "OIDC_ROLE_MAP must be pairs like key=value"),
    ],
    ids=["mode", "secret", "issuer", "http", "scopes", "role", "pair"],
)
def test_bad_single_sign_on_settings_are_errors(env, message):
    result = load_settings(**env)

    assert result.returncode != 0
    assert message in result.stderr


def test_the_test_provider_on_this_machine_may_use_plain_http():
    result = load_settings(**{**SSO, "OIDC_ISSUER": "http://127.0.0.1:9400"})

    assert result.returncode == 0, result.stderr


def test_role_map_pairs_may_name_several_roles_for_one_value(monkeypatch):
    monkeypatch.setenv("SOME_MAP", " Managers=Reviewer, Managers=Publisher,,Group=A=Drafter ")

    pairs = settings.env_pairs("SOME_MAP", {}, ["Drafter", "Reviewer", "Publisher"])

    assert pairs == {"Managers": ["Reviewer", "Publisher"], "Group=A": ["Drafter"]}


def test_the_role_map_is_the_roles_own_names_by_default():
    assert settings.OIDC_ROLE_MAP == {
        "Drafter": ["Drafter"],
        "Reviewer": ["Reviewer"],
        "Publisher": ["Publisher"],
        "Administrator": ["Administrator"],
        "Force contributor": ["Force contributor"],
    }


def _sqlite(path, **options):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    return DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "TIME_ZONE": None,
            "CONN_HEALTH_CHECKS": False,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
        }
    )


@pytest.mark.parametrize("wal", [True, False], ids=["as configured", "without WAL"])
def test_a_long_read_on_sqlite_never_fails_a_write(tmp_path, wal, django_db_blocker):
    """Someone's export reads for a minute while someone else saves: the save goes through.
    Without write-ahead logging (the control) SQLite refuses it, "database is locked"."""
    options = {**settings.SQLITE_OPTIONS, "timeout": 0.2}
    if not wal:
        options["init_command"] = "PRAGMA journal_mode=DELETE;"
    reader, writer = (_sqlite(tmp_path / "db.sqlite3", **options) for _ in range(2))
    with django_db_blocker.unblock(), writer.cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
        cursor.execute("INSERT INTO note VALUES ('first')")
    django_db_blocker.unblock()
    reading = reader.cursor()
    reading.execute("BEGIN")
    reading.execute("SELECT * FROM note")
    reading.fetchone()  # The read is still open, as a streamed export's is.
    try:
        with writer.cursor() as cursor:
            if wal:
                cursor.execute("INSERT INTO note VALUES ('second')")
            else:
                with pytest.raises(Exception, match="database is locked"):
                    cursor.execute("INSERT INTO note VALUES ('second')")
    finally:
        reading.execute("COMMIT")
        reader.close()
        writer.close()
        django_db_blocker.restore()
