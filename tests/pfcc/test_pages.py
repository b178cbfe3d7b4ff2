"""The page frame (base.html), sign-in and lock-out pages, and the error pages."""

import html
import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.messages.storage.fallback import FallbackStorage
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse

from inspections.models import Inspection, OfficeSettings
from pfcc import views
from tests.catalogue import ANONYMOUS, PAGES, PERSONAS, build_world
from tests.conftest import PASSWORD
from tests.factories import make_inspection

pytestmark = pytest.mark.django_db

OFFICE = "Cumbria Office of the Police, Fire and Crime Commissioner"


def _text(response) -> str:
    return response.content.decode()


def test_the_login_page_carries_the_office_name_and_no_crown(client):
    response = client.get(reverse("login"))

    html = _text(response)
    assert response.status_code == 200
    assert f"<title>Sign in – {OFFICE}</title>" in html
    assert 'class="govuk-generic-header__homepage-link app-header__office-name">' in html
    assert OFFICE in html
    assert '<html lang="en-GB"' in html
    # The GOV.UK header and its crown are for GOV.UK services only.
    assert "govuk-header" not in html
    assert "govuk-logo" not in html
    assert "crown" not in html.lower()


def test_the_login_form_is_rendered_with_govuk_markup(client):
    html = _text(client.get(reverse("login")))

    assert '<label class="govuk-label govuk-label--s" for="id_username">Username</label>' in html
    assert re.search(r'<input type="text" name="username"[^>]*class="govuk-input govuk-!-', html)
    assert re.search(r'<input type="password" name="password"[^>]*class="govuk-input govuk-', html)
    assert "autofocus" not in html
    assert "govuk-error-summary" not in html


def test_the_office_name_follows_its_settings(client):
    office = OfficeSettings.load()
    office.office_name = "Office of the Test Commissioner"
    office.save()

    html = _text(client.get(reverse("public-home")))

    title = "Responses to HMICFRS inspections – Office of the Test Commissioner"
    assert f"<title>{title}</title>" in html
    assert "Office of the Test Commissioner</a>" in html


def test_a_failed_sign_in_shows_the_error_summary(client, drafter):
    response = client.post(reverse("login"), {"username": "dana", "password": "wrong"})

    html = _text(response)
    assert response.status_code == 200
    assert "<title>Error: Sign in – " in html
    assert 'class="govuk-error-summary"' in html
    assert '<li><a href="#id_username">Enter a correct username and password</a></li>' in html


def test_a_successful_sign_in_goes_to_the_dashboard(client, drafter):
    response = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_too_many_failed_sign_ins_lock_the_account_out(client, drafter, settings):
    settings.AXES_FAILURE_LIMIT = 2
    bad = {"username": "dana", "password": "wrong"}

    first = client.post(reverse("login"), bad)
    locked = client.post(reverse("login"), bad)
    # Even the right password is refused until the lock-out ends.
    still_locked = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})

    assert first.status_code == 200
    for response in (locked, still_locked):
        html = _text(response)
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in html
        assert "Try again in 30 minutes" in html
        assert "contact an administrator" in html


def test_an_unknown_address_shows_the_sites_page_not_found(client):
    response = client.get("/no-such-page/")

    html = _text(response)
    assert response.status_code == 404
    assert f"<title>Page not found – {OFFICE}</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert 'href="/static/css/app.css"' in html


def test_a_signed_in_outsider_is_refused_the_inspection_list(client, outsider):
    client.force_login(outsider)

    response = client.get(reverse("inspection-list"))

    html = _text(response)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in html
    assert "ask an administrator" in html
    assert f"– {OFFICE}</title>" in html


def test_the_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = views.server_error(request)

    html = _text(response)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert 'href="/static/css/app.css"' in html
    # Without a request there is no CSP nonce, so no inline script that the policy would block.
    assert "<script" not in html


def test_pages_carry_a_content_security_policy_whose_nonce_the_page_uses(client):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert f'<script nonce="{nonce}">document.body.className' in _text(response)
    assert f'src="/static/js/init.mjs" nonce="{nonce}"' in _text(response)


def test_the_public_see_published_responses_and_staff_sign_in(client):
    html = _text(client.get(reverse("public-home")))

    assert 'href="/" aria-current="page"' in html
    assert "Published responses" in html
    assert f'href="{reverse("login")}">Staff sign in' in html
    assert "Sign out" not in html
    assert "Dashboard" not in html


def test_signed_in_staff_see_their_navigation_and_sign_out(client, drafter):
    client.force_login(drafter)

    html = _text(client.get(reverse("inspection-list")))

    assert f'href="{reverse("dashboard")}">Dashboard' in html
    assert f'href="{reverse("inspection-list")}" aria-current="true"' in html
    sign_out = r'action="/accounts/logout/".*?>\s*<input type="hidden" name="csrfmiddlewaretoken"'
    assert re.search(sign_out, html)
    assert "Staff sign in" not in html
    assert "Admin" not in html


def test_only_staff_users_see_the_admin_link(client, drafter):
    User.objects.filter(pk=drafter.pk).update(is_staff=True)
    client.force_login(drafter)

    html = _text(client.get(reverse("dashboard")))

    assert f'href="{reverse("admin:index")}">Admin' in html


def test_signing_out_is_a_post_back_to_the_public_pages(client, drafter):
    client.force_login(drafter)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("public-home")


def test_success_messages_show_as_a_success_notification_banner(rf, drafter):
    request = rf.get("/")
    request.user = drafter
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.success(request, "Response submitted for review")
    messages.info(request, "The deadline has moved")

    html = render(request, "responses/dashboard.html", {"responses": []}).content.decode()

    assert re.search(
        r'class="govuk-notification-banner govuk-notification-banner--success" role="alert"', html
    )
    assert '<p class="govuk-notification-banner__heading">Response submitted for review</p>' in html
    assert re.search(r'class="govuk-notification-banner" role="region"', html)
    assert "The deadline has moved" in html


@pytest.mark.django_db
def test_a_back_link_sits_in_one_back_landmark(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("inspection-detail", args=[make_inspection().pk])).content.decode()
    assert page.count('<nav aria-label="Back">') == 1
    assert re.search(r'<nav aria-label="Back"><a [^>]*class="govuk-back-link"', page)


@pytest.mark.django_db
def test_a_page_without_a_back_link_has_no_empty_landmark(client, reviewer):
    client.force_login(reviewer)
    assert 'aria-label="Back"' not in client.get(reverse("dashboard")).content.decode()


def test_every_page_about_a_record_names_its_inspection_in_the_title(client):
    """A list of open tabs, or a screen reader's window list, tells one record's pages apart."""
    world = build_world()
    inspections = set(Inspection.objects.values_list("title", flat=True))
    problems = []
    for page in PAGES:
        # An export's progress is about the export, which may span many inspections.
        if page.method != "GET" or not page.args(world) or page.name == "export-status":
            continue
        persona = next(p for p in PERSONAS if p in page.who and p != ANONYMOUS)
        client.force_login(world.users[persona])
        response = client.get(page.path(world))
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue
        title = html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode())[1])
        if not any(inspection in title for inspection in inspections):
            problems.append(f"{page}: {title!r}")
    assert problems == [], "\n".join(problems)


def test_the_sign_in_page_asks_only_for_passwords_in_local_mode(client):
    html = _text(client.get(reverse("login")))

    assert reverse("sso-start") not in html
    assert 'name="password"' in html
    assert "If you have forgotten your password or cannot sign in" in html


def test_the_sign_in_page_offers_the_organisation_account_first_in_both_modes(client, settings):
    settings.AUTH_MODE = "both"

    html = _text(client.get(reverse("login") + "?next=/staff/inspections/"))

    start = f'href="{reverse("sso-start")}?next=/staff/inspections/"'
    assert start in html
    assert "Sign in with your organisation account</a>" in html
    assert html.index(start) < html.index("Or sign in with a username and password")
    assert html.index("Or sign in with a username and password") < html.index('name="password"')


def test_in_sso_mode_only_the_break_glass_administrator_is_offered_a_password(client, settings):
    settings.AUTH_MODE = "sso"
    settings.BREAK_GLASS_USERNAME = "ada"

    html = _text(client.get(reverse("login")))
    failed = _text(client.post(reverse("login"), {"username": "ada", "password": "wrong"}))

    assert '<details class="govuk-details">' in html
    assert "Emergency sign-in for the administrator" in html
    assert "Or sign in with a username" not in html
    # Opened when it has errors, so the error summary's links reach their fields.
    assert '<details class="govuk-details" open>' in failed
    assert '<a href="#id_username">Enter a correct username and password</a>' in failed


def test_in_sso_mode_without_a_break_glass_administrator_no_password_is_asked(client, settings):
    settings.AUTH_MODE = "sso"
    settings.BREAK_GLASS_USERNAME = None

    html = _text(client.get(reverse("login")))

    assert reverse("sso-start") in html
    assert 'name="password"' not in html


def test_a_username_longer_than_any_account_is_refused_by_the_form(client):
    # The sign-in throttle records failed usernames in a 255-character column.
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "wrong"})
    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in response.content.decode()
