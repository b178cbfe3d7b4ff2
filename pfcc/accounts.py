"""People from the identity provider: who they are here, and which roles they hold.

A person is matched on the provider's stable subject (settings.OIDC_SUBJECT_CLAIM: Entra's `oid`,
else `sub`), never on an email address alone. Their account is made at their first sign-in,
with the name and email from the claims, and their roles are set on every sign-in to exactly
what the roles claim grants through settings.OIDC_ROLE_MAP, so a role taken away at the provider
is gone here at the next sign-in. Someone the claim grants no role is refused, and nothing is
made for them; if they had an account, it loses its roles.

The claims are those of an ID token whose signature and claims pfcc/sso.py has checked.
"""

import enum
import hashlib
import re

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from pfcc import audit
from pfcc.models import OrganisationAccount
from responses import roles


class Reason(enum.Enum):
    NO_ROLE = "no role"
    TURNED_OFF = "account turned off"
    FAILED = "sign-in failed"
    UNAVAILABLE = "provider unavailable"


class SignInRefused(Exception):
    """Why someone is not signed in: `reason` picks the page they see, `detail` (never shown to
    them) goes to the log and the sign-in record with who they claimed to be."""

    def __init__(self, reason: Reason, detail: str, *, claims=None, user=None, granted=()):
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.claims = claims or {}
        self.user = user
        self.granted = granted


def granted_roles(claims: dict) -> set[str]:
    values = claims.get(settings.OIDC_ROLES_CLAIM, [])
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return set()
    return {role for value in values for role in settings.OIDC_ROLE_MAP.get(str(value), [])}


def claimed_username(claims: dict) -> str:
    """What the person signed in as at the provider, for records and new usernames."""
    for name in ("preferred_username", "email", settings.OIDC_SUBJECT_CLAIM):
        if isinstance(claims.get(name), str) and claims[name]:
            return claims[name]
    return ""


def sign_in(request: HttpRequest, claims: dict, *, issuer: str) -> User:
    subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
    if not isinstance(subject, str) or not subject:
        raise SignInRefused(
            Reason.FAILED,
            f"The ID token has no {settings.OIDC_SUBJECT_CLAIM!r} claim to know the person by.",
            claims=claims,
        )
    granted = granted_roles(claims)
    account = _account(issuer, subject)
    if account is None and not granted:
        raise SignInRefused(Reason.NO_ROLE, _no_role_detail(claims), claims=claims)
    if account is None:
        account = _new_account(claims, issuer=issuer, subject=subject)
    user = _update(request, account.user, claims, granted, issuer=issuer, subject=subject)
    if not user.is_active:
        raise SignInRefused(
            Reason.TURNED_OFF, "The account is turned off here.", claims=claims, user=user
        )
    if not granted:
        raise SignInRefused(Reason.NO_ROLE, _no_role_detail(claims), claims=claims, user=user)
    audit.record(
        request,
        kind=audit.Kind.SIGNED_IN,
        via=audit.Via.SSO,
        user=user,
        provider=issuer,
        subject=subject,
        roles=granted,
    )
    return user


def _account(issuer: str, subject: str) -> OrganisationAccount | None:
    return (
        OrganisationAccount.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )


def _new_account(claims: dict, *, issuer: str, subject: str) -> OrganisationAccount:
    try:
        with transaction.atomic():
            user = User(username=_free_username(claimed_username(claims), subject))
            user.set_unusable_password()
            user.save()
            return OrganisationAccount.objects.create(user=user, issuer=issuer, subject=subject)
    except IntegrityError:
        # The same person's first sign-in in another tab won the race: theirs is the account.
        return OrganisationAccount.objects.select_related("user").get(
            issuer=issuer, subject=subject
        )


def _free_username(wanted: str, subject: str) -> str:
    # The characters Django's username validator allows, so the admin can save the user.
    wanted = re.sub(r"[^\w.@+-]", "", wanted)[:130] or "user"
    if not User.objects.filter(username=wanted).exists():
        return wanted
    # Someone here has that name already: they are not this person, whatever the email says.
    return f"{wanted}-{hashlib.sha256(subject.encode()).hexdigest()[:12]}"


@transaction.atomic
def _update(request, user: User, claims: dict, granted: set[str], *, issuer, subject) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    given, family, name = (claims.get(key) for key in ("given_name", "family_name", "name"))
    if isinstance(given, str) and isinstance(family, str):
        user.first_name, user.last_name = given[:150], family[:150]
    elif isinstance(name, str):
        # One field for the whole name: it is not ours to split.
        user.first_name, user.last_name = name[:150], ""
    if isinstance(claims.get("email"), str):
        user.email = claims["email"][:254]
    # Administrators manage users and office settings in the Django admin.
    user.is_staff = roles.ADMINISTRATOR in granted
    user.save()
    previous = audit.role_names(user)
    if previous != granted:
        user.groups.remove(*Group.objects.filter(name__in=previous - granted))
        user.groups.add(*Group.objects.filter(name__in=granted))
        audit.record(
            request,
            kind=audit.Kind.ROLES_CHANGED,
            via=audit.Via.SSO,
            user=user,
            provider=issuer,
            subject=subject,
            roles=granted,
            previous_roles=previous,
        )
    return user


def _no_role_detail(claims: dict) -> str:
    claim = settings.OIDC_ROLES_CLAIM
    if claim not in claims and claim in claims.get("_claim_names", {}):
        # Entra sends a link instead of the groups of someone in too many of them.
        return (
            f"The {claim!r} claim was left out because the person is in too many groups: "
            "use app roles, or send only the groups assigned to the application."
        )
    return f"No office role in the {claim!r} claim: {claims.get(claim, [])!r}"
