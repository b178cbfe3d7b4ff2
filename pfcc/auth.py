"""How staff may sign in, by settings.AUTH_MODE:

- "local": usernames and passwords, kept here (the demo, and small offices);
- "both": passwords, or the organisation's account through single sign-on (pfcc/sso.py);
- "sso": the organisation's account only. A password is refused for everyone but the named
  break-glass administrator (BREAK_GLASS_USERNAME), for when the identity provider is down;
  their every sign-in is logged as a warning and recorded.

Passwords are checked here, in the authentication backend, so that no form can get round the
mode; django-axes counts the refusals towards its lock-out as it counts wrong passwords.
"""

import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from pfcc import audit

logger = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return settings.AUTH_MODE != "local"


def passwords_accepted() -> str:
    """Whose passwords the sign-in page asks for: "everyone", "break-glass" or "nobody"."""
    if settings.AUTH_MODE != "sso":
        return "everyone"
    return "break-glass" if settings.BREAK_GLASS_USERNAME else "nobody"


def home_url(user) -> str:
    """Where someone lands after signing in: the force's own pages for a force contributor
    (the staff pages are closed to them), the staff dashboard for everyone else."""
    force_only = user.has_perm("inspections.contribute_as_force") and not user.has_perm(
        "inspections.view_inspection"
    )
    return resolve_url("force-home" if force_only else settings.LOGIN_REDIRECT_URL)


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        break_glass = settings.AUTH_MODE == "sso" and username == settings.BREAK_GLASS_USERNAME
        if settings.AUTH_MODE == "sso" and not break_glass:
            logger.warning("Password sign-in refused for %r: AUTH_MODE is sso", username)
            _refused(request, username, "Passwords are turned off: use the organisation account.")
            # Stops the other backends; django-axes counts it as a failed attempt.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _refused(request, username, "Wrong username or password, or the account is turned off.")
            return None
        if break_glass:
            logger.warning(
                "BREAK-GLASS sign-in with a password by %r while AUTH_MODE is sso", username
            )
        audit.record(
            request,
            kind=audit.Kind.SIGNED_IN,
            via=audit.Via.BREAK_GLASS if break_glass else audit.Via.PASSWORD,
            user=user,
            roles=audit.role_names(user),
        )
        return user


def _refused(request, username: str, detail: str) -> None:
    audit.record(
        request, kind=audit.Kind.REFUSED, via=audit.Via.PASSWORD, username=username, detail=detail
    )
