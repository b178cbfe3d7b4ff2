"""Single sign-on against a real OpenID provider (tests/pfcc/conftest.py): the code flow with
PKCE, state and nonce, the checks on the ID token, and the pages for refusals and failures."""

import base64
import datetime
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from pfcc import sso
from pfcc.models import OrganisationAccount, SignInRecord
from tests.catalogue import ANONYMOUS, PAGES, PERSONA_ROLES, PERSONAS
from tests.pfcc.conftest import CLIENT_SECRET

pytestmark = pytest.mark.django_db


def _backend():
    return sso.OrganisationAccountBackend().configure()


def _text(response) -> str:
    return response.content.decode()


# The request to the provider


def test_the_start_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(client, oidc):
    response = client.get(reverse("sso-start"), {"next": "/staff/inspections/"})

    location = urlsplit(response["Location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert response.status_code == 302
    assert f"{location.scheme}://{location.netloc}" == oidc.issuer
    assert query["response_type"] == "code"
    assert query["client_id"] == "pfcc-tracker"
    assert query["redirect_uri"] == "http://testserver/accounts/sso/callback/"
    assert query["scope"] == "openid profile email"
    assert query["code_challenge_method"] == "S256"
    sent = client.session["oidc_states"][query["state"]]
    assert sent["nonce"] == query["nonce"]
    assert len(sent["code_verifier"]) >= 43


def test_signing_in_as_someone_else_asks_the_provider_to_ask_who_again(client, oidc):
    plain = parse_qs(urlsplit(client.get(reverse("sso-start"))["Location"]).query)
    again = client.get(reverse("sso-start"), {"prompt": "login"})["Location"]

    assert "prompt" not in plain
    assert parse_qs(urlsplit(again).query)["prompt"] == ["login"]


def test_single_sign_on_is_not_there_in_local_mode(client, settings):
    settings.AUTH_MODE = "local"

    assert client.get(reverse("sso-start")).status_code == 404
    assert client.get(reverse("sso-callback"), {"code": "x", "state": "y"}).status_code == 404


def test_an_unreachable_provider_gets_a_page_saying_so(client, oidc, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"

    response = client.get(reverse("sso-start"))

    assert response.status_code == 503
    assert "Sign-in is not available at the moment" in _text(response)
    record = SignInRecord.objects.get()
    assert record.kind == SignInRecord.Kind.REFUSED
    assert "No discovery" in record.detail


def test_a_provider_whose_discovery_names_another_issuer_is_not_trusted(client, oidc, settings):
    settings.OIDC_ISSUER = oidc.issuer.replace("127.0.0.1", "localhost")

    response = client.get(reverse("sso-start"))

    assert response.status_code == 503
    assert "names another issuer" in SignInRecord.objects.get().detail


def test_the_issuer_may_be_given_as_its_discovery_address(client, oidc, settings):
    settings.OIDC_ISSUER = oidc.issuer + "/.well-known/openid-configuration"

    response = oidc.sign_in(client, "dana")

    assert response["Location"] == reverse("dashboard")


# Signing in: who, and with which roles


def test_a_first_sign_in_makes_the_account_from_the_claims_and_lands_on_the_dashboard(client, oidc):
    response = oidc.sign_in(client, "dana")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    account = OrganisationAccount.objects.select_related("user").get()
    user = account.user
    assert (account.issuer, account.subject) == (oidc.issuer, _oid("dana"))
    assert user.username == "dana.drafter@opfcc.example"
    assert (user.first_name, user.last_name) == ("Dana", "Drafter")
    assert user.email == "dana.drafter@opfcc.example"
    assert not user.has_usable_password()
    assert not user.is_staff
    assert _roles(user) == ["Drafter"]
    assert client.get(reverse("dashboard")).status_code == 200
    assert [(r.kind, r.roles, r.previous_roles) for r in SignInRecord.objects.order_by("pk")] == [
        ("roles_changed", "Drafter", ""),
        ("signed_in", "Drafter", ""),
    ]
    signed_in = SignInRecord.objects.get(kind="signed_in")
    assert (signed_in.user, signed_in.via, signed_in.provider) == (user, "sso", oidc.issuer)
    assert (signed_in.subject, signed_in.ip_address) == (_oid("dana"), "127.0.0.1")


def test_signing_in_goes_back_to_the_page_asked_for(client, oidc):
    inspections = reverse("inspection-list")
    start = reverse("sso-start") + f"?next={inspections}"

    response = oidc.sign_in(client, "dana", start=start)

    assert response["Location"] == inspections


def test_roles_follow_the_provider_at_every_sign_in_removals_included(client, oidc):
    oidc.sign_in(client, "rob")
    oidc.set_user("rob", roles=["Tracker.Manager", "Tracker.Administrator"])

    oidc.sign_in(client, "rob")
    user = OrganisationAccount.objects.get().user
    assert _roles(user) == ["Administrator", "Publisher", "Reviewer"]
    assert user.is_staff

    oidc.set_user("rob", roles=["Tracker.Publisher"], name="Rob Roberts", email="rob@new.example")
    oidc.sign_in(client, "rob")
    user.refresh_from_db()
    assert _roles(user) == ["Publisher"]
    assert not user.is_staff
    assert (user.first_name, user.last_name, user.email) == ("Rob", "Reviewer", "rob@new.example")
    changes = SignInRecord.objects.filter(kind="roles_changed").order_by("pk")
    assert [(r.previous_roles, r.roles) for r in changes] == [
        ("", "Reviewer"),
        ("Reviewer", "Reviewer, Publisher, Administrator"),
        ("Reviewer, Publisher, Administrator", "Publisher"),
    ]


def test_someone_without_a_mapped_role_is_refused_and_nothing_is_made(client, oidc):
    response = oidc.sign_in(client, "vic")

    assert response.status_code == 403
    html = _text(response)
    assert "You do not have access to this service" in html
    assert "does not give you a role in this service" in html
    assert f'href="{reverse("sso-start")}?prompt=login">Sign in as someone else' in html
    assert not OrganisationAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    record = SignInRecord.objects.get()
    assert (record.kind, record.via, record.user) == ("refused", "sso", None)
    assert record.username == "vic.visitor@opfcc.example"
    assert record.subject == _oid("vic")
    assert "Payroll.User" in record.detail


def test_someone_whose_last_role_is_taken_away_is_refused_and_loses_their_roles(client, oidc):
    oidc.sign_in(client, "dana")
    oidc.set_user("dana", roles=[])

    response = oidc.sign_in(client, "dana")

    assert response.status_code == 403
    user = OrganisationAccount.objects.get().user
    assert _roles(user) == []
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


def test_people_are_matched_on_their_subject_never_on_email(client, oidc, make_user):
    local = make_user("dana.drafter@opfcc.example")
    local.email = "dana.drafter@opfcc.example"
    local.save()

    oidc.sign_in(client, "dana")

    user = OrganisationAccount.objects.get().user
    assert user != local
    assert user.username.startswith("dana.drafter@opfcc.example-")
    assert _roles(local) == []
    # Someone else with Dana's email at the provider is someone else here too.
    oidc.set_user("impostor", email="dana.drafter@opfcc.example", roles=["Tracker.Drafter"])
    oidc.sign_in(client, "impostor")
    assert OrganisationAccount.objects.count() == 2


def test_other_providers_name_people_by_sub(client, oidc, settings):
    settings.OIDC_SUBJECT_CLAIM = "sub"

    oidc.sign_in(client, "dana")

    assert OrganisationAccount.objects.get().subject == "dana"


def test_an_id_token_without_the_subject_claim_is_refused(client, oidc, settings):
    settings.OIDC_SUBJECT_CLAIM = "employee_id"

    response = oidc.sign_in(client, "dana")

    assert response.status_code == 400
    assert "no 'employee_id' claim" in SignInRecord.objects.get().detail
    assert not OrganisationAccount.objects.exists()


def test_roles_can_come_from_groups(client, oidc, settings):
    settings.OIDC_ROLES_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = {"0c1d2e3f-aaaa-bbbb-cccc-123456789abc": ["Reviewer"]}
    oidc.set_user("gil", name="Gil Group", groups=["0c1d2e3f-aaaa-bbbb-cccc-123456789abc", "x"])

    oidc.sign_in(client, "gil")

    assert _roles(OrganisationAccount.objects.get().user) == ["Reviewer"]


def test_entra_leaving_out_too_many_groups_is_explained_in_the_record(client, oidc, settings):
    settings.OIDC_ROLES_CLAIM = "groups"
    # What Entra sends instead of the groups of someone in more than 200.
    oidc.set_user("gil", name="Gil Group", _claim_names={"groups": "src1"})

    response = oidc.sign_in(client, "gil")

    assert response.status_code == 403
    assert "too many groups" in SignInRecord.objects.get().detail


def test_an_account_turned_off_here_is_refused(client, oidc):
    oidc.sign_in(client, "dana")
    client.logout()
    User.objects.update(is_active=False)

    response = oidc.sign_in(client, "dana")

    assert response.status_code == 403
    assert "Your account is turned off" in _text(response)
    assert SignInRecord.objects.filter(kind="refused").count() == 1


def test_turning_an_account_off_ends_its_open_sessions(client, oidc):
    oidc.sign_in(client, "dana")
    assert client.get(reverse("dashboard")).status_code == 200

    User.objects.update(is_active=False)

    assert client.get(reverse("dashboard")).status_code == 302


def test_administrators_from_the_provider_can_read_the_sign_in_records(client, oidc):
    oidc.sign_in(client, "ada")

    page = client.get(reverse("admin:pfcc_signinrecord_changelist"))

    assert page.status_code == 200
    assert "ada.administrator@opfcc.example" in _text(page)


# The provider's answer


def test_an_answer_replayed_is_refused(client, oidc):
    started = client.get(reverse("sso-start"))
    callback = oidc.authorize(started["Location"], "dana")
    assert client.get(callback).status_code == 302
    client.logout()

    response = client.get(callback)

    assert response.status_code == 400
    assert "Sign-in did not work" in _text(response)
    assert "_auth_user_id" not in client.session


def test_an_answer_with_a_state_this_browser_did_not_start_is_refused(client, oidc):
    client.get(reverse("sso-start"))

    response = client.get(reverse("sso-callback"), {"code": "stolen", "state": "forged"})

    assert response.status_code == 400
    assert "state is not one started here" in SignInRecord.objects.get().detail


def test_a_forged_answer_signs_nobody_out(client, oidc, drafter):
    client.force_login(drafter)

    response = client.get(reverse("sso-callback"), {"error": "access_denied", "state": "x"})

    assert response.status_code == 400
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_catalogued_sign_on_pages_answer_everyone_alike(client, oidc, make_user, persona):
    if persona != ANONYMOUS:
        client.force_login(make_user(persona, *filter(None, [PERSONA_ROLES[persona]])))

    start = client.get(reverse("sso-start"))
    callback = next(page for page in PAGES if page.name == "sso-callback")
    answer = client.get(reverse("sso-callback") + callback.query)

    assert start.status_code == 302 and start["Location"].startswith(oidc.issuer)
    assert answer.status_code == 400
    assert "Sign-in did not work" in _text(answer)


def test_an_answer_naming_another_issuer_is_refused(client, oidc):
    started = client.get(reverse("sso-start"))
    callback = oidc.authorize(started["Location"], "dana")

    response = client.get(callback.replace("127.0.0.1", "evil.example"))

    assert response.status_code == 400
    assert not OrganisationAccount.objects.exists()


def test_a_code_exchanged_without_its_pkce_verifier_is_refused_by_the_provider(client, oidc):
    started = client.get(reverse("sso-start"))
    callback = oidc.authorize(started["Location"], "dana")
    session = client.session
    for sent in session["oidc_states"].values():
        sent["code_verifier"] = "x" * 64
    session.save()

    response = client.get(callback)

    assert response.status_code == 400
    assert "invalid_grant" in SignInRecord.objects.get().detail


def test_a_provider_gone_before_the_code_is_exchanged_gets_the_unavailable_page(client, oidc):
    started = client.get(reverse("sso-start"))
    callback = oidc.authorize(started["Location"], "dana")
    metadata = sso.provider_metadata()
    cache.set(
        f"pfcc.sso.discovery:{oidc.issuer}", {**metadata, "token_endpoint": "http://127.0.0.1:9/"}
    )

    response = client.get(callback)

    assert response.status_code == 503
    assert not OrganisationAccount.objects.exists()


def test_an_answer_without_a_code_is_refused(client, oidc):
    started = client.get(reverse("sso-start"))
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]

    response = client.get(reverse("sso-callback"), {"state": state})

    assert response.status_code == 400
    assert SignInRecord.objects.get().detail == "The provider's answer has no code."


def test_cancelling_at_the_provider_is_refused_with_the_providers_reason(client, oidc):
    started = client.get(reverse("sso-start"))
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]

    response = client.get(
        reverse("sso-callback"),
        {"error": "access_denied", "error_description": "End-User aborted", "state": state},
    )

    assert response.status_code == 400
    assert "access_denied: End-User aborted" in SignInRecord.objects.get().detail
    assert state not in client.session.get("oidc_states", {})


# The ID token, checked with the provider's keys


def test_a_real_id_token_passes(client, oidc):
    token, nonce = oidc.id_token(client, "dana")

    claims = _backend().verify_token(token, nonce=nonce)

    assert claims["oid"] == _oid("dana")
    assert claims["roles"] == ["Tracker.Drafter"]


def test_a_tampered_id_token_is_refused(client, oidc):
    token, nonce = oidc.id_token(client, "dana")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["Tracker.Administrator"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(SuspiciousOperation, match="Signature verification failed"):
        _backend().verify_token(f"{header}.{forged}.{signature}", nonce=nonce)


def test_an_id_token_with_another_nonce_is_refused(client, oidc):
    token, _ = oidc.id_token(client, "dana")

    with pytest.raises(SuspiciousOperation, match="Nonce verification failed"):
        _backend().verify_token(token, nonce="the nonce of another sign-in")


def test_an_id_token_for_another_application_is_refused(client, oidc, settings):
    settings.OIDC_RP_CLIENT_ID = "another-app"
    token, nonce = oidc.id_token(client, "dana")
    settings.OIDC_RP_CLIENT_ID = "pfcc-tracker"

    with pytest.raises(SuspiciousOperation, match="Audience doesn't match"):
        _backend().verify_token(token, nonce=nonce)


def test_an_expired_id_token_is_refused(client, oidc):
    token, nonce = oidc.id_token(client, "dana")
    expiry = jwt.decode(token, options={"verify_signature": False})["exp"]
    expires = datetime.datetime.fromtimestamp(expiry, tz=datetime.UTC)

    with time_machine.travel(expires + datetime.timedelta(seconds=sso.CLOCK_LEEWAY_SECONDS + 1)):
        with pytest.raises(SuspiciousOperation, match="expired"):
            _backend().verify_token(token, nonce=nonce)


def test_an_id_token_signed_with_another_key_is_refused(client, oidc):
    token, nonce = oidc.id_token(client, "dana")
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": header["kid"]})

    with pytest.raises(SuspiciousOperation, match="Signature verification failed"):
        _backend().verify_token(forged, nonce=nonce)


# An HS256 token keyed with the client secret: the classic confusion of algorithms.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize(
    ("algorithm", "key"), [("HS256", CLIENT_SECRET), ("none", None)], ids=["hs256", "none"]
)
def test_an_id_token_signed_another_way_is_refused(client, oidc, algorithm, key):
    token, nonce = oidc.id_token(client, "dana")
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims, key, algorithm=algorithm, headers={"kid": header["kid"]})

    with pytest.raises(SuspiciousOperation):
        _backend().verify_token(forged, nonce=nonce)


def test_a_refused_id_token_at_the_callback_gets_the_page_and_a_record(client, oidc, monkeypatch):
    verify = sso.OrganisationAccountBackend._verify_jws
    monkeypatch.setattr(
        sso.OrganisationAccountBackend,
        "_verify_jws",
        lambda self, payload, key: verify(self, payload[:-4] + "AAAA", key),
    )

    response = oidc.sign_in(client, "dana")

    assert response.status_code == 400
    assert "Signature verification failed" in SignInRecord.objects.get().detail
    assert not OrganisationAccount.objects.exists()


# Signing out


def test_signing_out_ends_the_providers_session_too(client, oidc):
    oidc.sign_in(client, "dana")
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("logout"))

    location = urlsplit(response["Location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}" == oidc.issuer + "/session/end"
    assert query == {
        "id_token_hint": id_token,
        "client_id": "pfcc-tracker",
        "post_logout_redirect_uri": "http://testserver/",
    }
    assert "_auth_user_id" not in client.session


def test_signing_out_after_a_password_sign_in_stays_here(client, oidc, drafter):
    client.force_login(drafter)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("public-home")


def _oid(login: str) -> str:
    """The object id the test provider gives `login` (scripts/test-oidc-provider.mjs)."""
    digest = hashlib.sha256(login.encode()).hexdigest()
    return "-".join([digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:32]])


def _roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))
