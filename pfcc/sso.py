"""Single sign-on with the organisation's account: OpenID Connect through mozilla-django-oidc.

The library runs the authorisation code flow: a state, a nonce and a PKCE verifier are kept in
the session for each sign-in and checked at the callback, the code is exchanged with the client
secret, and the ID token's RS256 signature is checked with the provider's key from its JWKS.
What this module adds (at the library's documented extension points):

- the provider's endpoints from its discovery document (settings.OIDC_ISSUER), fetched at the
  first sign-in and kept for an hour, whose issuer must be the one configured;
- the ID token checks the library leaves out: its audience is us (and its authorised party when
  it names several), its issuer is the provider's, and its expiry and issue time are there and
  right, with a minute's leeway for clocks;
- the person from the checked ID token, where Entra puts `oid`, `roles` and `groups` (its
  userinfo endpoint has none of them), matched on subject by pfcc/accounts.py rather than the
  library's match on email;
- a page saying what happened, and a sign-in record, when a sign-in is refused or fails,
  instead of the library's redirects and errors;
- the provider's end-session address, so that signing out here signs out there too.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render, resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from pfcc import accounts, audit
from pfcc.accounts import Reason, SignInRefused
from pfcc.auth import home_url, sso_enabled

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60

# The library's settings for the provider's endpoints, and their names in discovery.
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

# The page's status and heading for each reason; templates/registration/sso_refused.html says more.
_REFUSAL_PAGES = {
    Reason.NO_ROLE: (403, "You do not have access to this service"),
    Reason.TURNED_OFF: (403, "Your account is turned off"),
    Reason.FAILED: (400, "Sign-in did not work"),
    Reason.UNAVAILABLE: (503, "Sign-in is not available at the moment"),
}


def issuer() -> str:
    """The configured issuer, given as itself or as its discovery address."""
    return settings.OIDC_ISSUER.removesuffix(DISCOVERY_PATH).rstrip("/")


def provider_metadata() -> dict:
    key = f"pfcc.sso.discovery:{issuer()}"
    metadata = cache.get(key)
    if metadata is None:
        metadata = _discover()
        cache.set(key, metadata, DISCOVERY_SECONDS)
    return metadata


def _discover() -> dict:
    url = issuer() + DISCOVERY_PATH
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused(Reason.UNAVAILABLE, f"No discovery at {url}: {error}") from error
    if not isinstance(metadata, dict) or str(metadata.get("issuer")).rstrip("/") != issuer():
        raise SignInRefused(
            Reason.UNAVAILABLE,
            f"The discovery document at {url} names another issuer: set OIDC_ISSUER to the one "
            f"it names (for Entra, with the tenant's ID), not {settings.OIDC_ISSUER!r}",
        )
    missing = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
               if not metadata.get(name)]  # fmt: skip
    if missing:
        raise SignInRefused(Reason.UNAVAILABLE, f"{url} gives no {', '.join(missing)}")
    return metadata


def setting(name: str, *default):
    """The library's settings, with the provider's endpoints from its discovery document."""
    if name in _ENDPOINTS:
        return provider_metadata().get(_ENDPOINTS[name])
    return import_from_settings(name, *default)


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend to load every request's user; the library's own set-up reads
        # the provider's endpoints, so it waits for a sign-in.
        self.UserModel = get_user_model()

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        # Only the callback passes a nonce: password sign-ins pass by.
        if request is None or nonce is None or not sso_enabled():
            return None
        self.configure()
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except (requests.ConnectionError, requests.Timeout) as error:
            raise SignInRefused(Reason.UNAVAILABLE, str(error)) from error
        except (SuspiciousOperation, requests.RequestException) as error:
            raise SignInRefused(Reason.FAILED, str(error)) from error

    def configure(self):
        """The library's own set-up."""
        super().__init__()
        return self

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, TypeError) as error:
            # An ID token too broken to find its key (no header, no kid).
            raise SuspiciousOperation(f"ID token refused: {error!r}") from error

    def _verify_jws(self, payload, key):
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token refused: issued to another party (azp)")
        return claims

    def get_user(self, user_id):
        # Django's, unlike the library's, turns away an account turned off since signing in.
        return ModelBackend.get_user(self, user_id)

    def get_userinfo(self, access_token, id_token, payload):
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        return accounts.sign_in(self.request, payload, issuer=issuer())


class _Start(OIDCAuthenticationRequestView):
    get_settings = staticmethod(setting)

    def get_extra_params(self, request):
        # After a refusal the provider would sign the same person in again without asking:
        # "sign in as someone else" asks it to ask (OpenID Connect's prompt=login).
        return {"prompt": "login"} if request.GET.get("prompt") == "login" else {}


class _Callback(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(setting)

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or home_url(self.request.user)

    def get(self, request):
        # RFC 9207: the provider names itself in its answer, against mix-ups between providers.
        answered_by = request.GET.get("iss")
        if answered_by is not None and answered_by.rstrip("/") != issuer():
            raise SignInRefused(Reason.FAILED, f"The answer came from {answered_by!r}")
        if request.GET.get("state") not in request.session.get("oidc_states", {}):
            # Replayed, forged, or from another browser: not a sign-in started here.
            raise SignInRefused(Reason.FAILED, "The answer's state is not one started here.")
        return super().get(request)

    def login_failure(self):
        error = self.request.GET.get("error")
        if error:
            detail = f"The provider answered {error}: {self.request.GET.get('error_description')}"
        else:
            detail = "The provider's answer has no code."
        raise SignInRefused(Reason.FAILED, detail)


def start(request):
    """Sends the browser to the provider's sign-in page."""
    return _refusing(request, _Start.as_view())


def callback(request):
    """Where the provider sends the browser back, with a code or an error."""
    return _refusing(request, _Callback.as_view())


def _refusing(request, view):
    if not sso_enabled():
        raise Http404
    try:
        return view(request)
    except SignInRefused as refusal:
        return _refused(request, refusal)


def _refused(request, refusal: SignInRefused):
    logger.warning("Sign-in with an organisation account refused: %s", refusal)
    audit.record(
        request,
        kind=audit.Kind.REFUSED,
        via=audit.Via.SSO,
        user=refusal.user,
        username=accounts.claimed_username(refusal.claims),
        provider=issuer(),
        subject=str(refusal.claims.get(settings.OIDC_SUBJECT_CLAIM, ""))[:255],
        detail=refusal.detail,
    )
    if refusal.reason in (Reason.NO_ROLE, Reason.TURNED_OFF):
        # The provider vouched for someone who may not be here: whoever was signed in here
        # before is not any longer. (A forged answer signs nobody out.)
        auth.logout(request)
    status, heading = _REFUSAL_PAGES[refusal.reason]
    context = {"reason": refusal.reason.name, "heading": heading}
    return render(request, "registration/sso_refused.html", context, status=status)


def end_session_url(request) -> str | None:
    """The provider's sign-out address for who signed in with it (RP-initiated logout), which
    sends them back to our public pages; None when it has none."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not sso_enabled():
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except SignInRefused as error:
        logger.warning("Signed out here only: %s", error)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(
                resolve_url(settings.LOGOUT_REDIRECT_URL)
            ),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
