"""Shared fixtures: the named personas of the office, and a real Chromium for browser tests."""

import io
import os

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from inspections.models import ForceContributor, Service
from responses import roles

# Playwright's sync API runs an event loop in the test thread; live_server is safe with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"

# Every generated-input test takes its example count from here; HYPOTHESIS_PROFILE picks one.
# "ci" (the default) keeps the whole suite within a few minutes per database: the bad-input
# tests (tests/pfcc/test_bad_input.py) make that many requests per URL. Derandomised, so a run
# is repeatable; "thorough" searches further and differently each time.
_PROFILE = {"deadline": None, "database": None, "print_blob": True}
hypothesis_settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", 15)),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    **_PROFILE,
)
hypothesis_settings.register_profile(
    "thorough",
    max_examples=500,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    **_PROFILE,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Files a test stores land in its own folder, never in the project's media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs most of a second per password, and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test has its own empty cache: cached public pages never leak between tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }


@pytest.fixture
def make_user(db):
    # Transactional (browser) tests flush the tables, taking the migrations' role groups too.
    if not Group.objects.filter(name=roles.DRAFTER).exists():
        roles.sync_roles(apps)

    def make(username: str, *role_names: str) -> User:
        user = User.objects.create_user(
            username, email=f"{username}@opfcc.example", password=PASSWORD
        )
        user.first_name = username.capitalize()
        user.save()
        user.groups.set(Group.objects.filter(name__in=role_names))
        return user

    return make


@pytest.fixture
def drafter(make_user):
    return make_user("dana", roles.DRAFTER)


@pytest.fixture
def second_drafter(make_user):
    return make_user("dev", roles.DRAFTER)


@pytest.fixture
def reviewer(make_user):
    return make_user("rob", roles.REVIEWER)


@pytest.fixture
def publisher(make_user):
    return make_user("pat", roles.PUBLISHER)


@pytest.fixture
def administrator(make_user):
    return make_user("ada", roles.ADMINISTRATOR)


@pytest.fixture
def force_contributor(make_user):
    """In the chief constable's office: reaches only the police force's own pages."""
    user = make_user("fran", roles.FORCE_CONTRIBUTOR)
    ForceContributor.objects.create(user=user, service=Service.POLICE)
    return user


@pytest.fixture
def outsider(make_user):
    """Signed in, but holds no role in the office."""
    return make_user("olly")


@pytest.fixture
def demo(db):
    """The demo data `make run` loads (responses/management/commands/load_demo.py)."""
    # Flushing after a transactional test takes the migrations' role groups too.
    roles.sync_roles(apps)
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright's own browser download does not work on these machines.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
