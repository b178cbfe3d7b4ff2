import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from pfcc import settings


def load_settings(**env) -> subprocess.CompletedProcess:
    """Imports the settings module in a fresh interpreter with only `env` set."""
    unset = ("DEBUG", "SECRET_KEY", "EMAIL_HOST", "DATABASE_URL")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    code = "import pfcc.settings as s; print(s.DATABASES['default']['ENGINE'])"
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
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def test_database_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/app")
    assert result.stdout.strip() == "django.db.backends.postgresql"


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


def test_the_request_budget_and_one_last_query_fit_within_gunicorns_timeout():
    gunicorn_timeout = 30  # the README's deployment command
    assert settings.REQUEST_TIME_BUDGET + settings.DATABASE_STATEMENT_TIMEOUT < gunicorn_timeout
