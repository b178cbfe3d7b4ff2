"""Signing in with the organisation's account in Chromium, through the real test provider's own
sign-in page (tests/pfcc/conftest.py), and out of both again.

Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from responses import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(oidc, live_server):
    # Flushing after a transactional test takes the migrations' role groups too.
    roles.sync_roles(apps)
    oidc.allow_site(live_server.url)
    return oidc


def sign_in(page, live_server, login):
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("button", name="Sign in with your organisation account").click()
    # The provider's own page, on its own address.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()


def can_add_inspections(page, live_server) -> bool:
    page.goto(live_server.url + reverse("inspection-list"))
    return page.get_by_role("link", name="Add an inspection").count() == 1


def test_a_drafter_signs_in_at_the_provider_and_lands_on_the_dashboard(page, live_server, provider):
    sign_in(page, live_server, "dana")

    expect(page).to_have_url(live_server.url + reverse("dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines")
    assert User.objects.get(email="dana.drafter@opfcc.example").groups.get().name == "Drafter"
    assert can_add_inspections(page, live_server)


def test_roles_changed_at_the_provider_are_there_at_the_next_sign_in(page, live_server, provider):
    sign_in(page, live_server, "rob")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines")
    assert not can_add_inspections(page, live_server)

    # Signing out here signs out at the provider too, after it asks.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(live_server.url + reverse("public-home"))
    provider.set_user("rob", roles=["Tracker.Drafter"])

    # The provider asks who it is again: its session ended with ours.
    sign_in(page, live_server, "rob")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines")
    assert can_add_inspections(page, live_server)
    rob = User.objects.get(email="rob.reviewer@opfcc.example")
    assert list(rob.groups.values_list("name", flat=True)) == ["Drafter"]


def test_someone_without_a_role_is_refused_and_someone_else_can_sign_in(
    page, live_server, provider
):
    sign_in(page, live_server, "vic")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have access to this service"
    )
    assert page.title().startswith("You do not have access to this service")
    assert not User.objects.exists()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # The provider asks who it is again, so someone else can sign in at the same computer.
    page.get_by_role("link", name="Sign in as someone else").click()
    page.locator("input[name=login]").fill("dana")
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines")
