"""The sign-in record: one row for every sign-in, refusal and role change, whichever way in.

Written by the password backend (pfcc/auth.py), single sign-on (pfcc/sso.py, pfcc/accounts.py)
and the user admin (pfcc/admin.py); administrators read it in the admin.
"""

from axes.helpers import get_client_ip_address
from django.contrib.auth.models import User
from django.http import HttpRequest

from pfcc.models import SignInRecord
from responses import roles

Kind = SignInRecord.Kind
Via = SignInRecord.Via


def role_names(user: User) -> set[str]:
    return set(user.groups.filter(name__in=roles.ROLE_PERMISSIONS).values_list("name", flat=True))


def _listed(role_set) -> str:
    """Roles in the office's order, so the same roles always read the same."""
    return ", ".join(role for role in roles.ROLE_PERMISSIONS if role in role_set)


def record(
    request: HttpRequest | None,
    *,
    kind: Kind,
    via: Via,
    user: User | None = None,
    username: str = "",
    provider: str = "",
    subject: str = "",
    roles=(),
    previous_roles=(),
    changed_by: User | None = None,
    detail: str = "",
) -> SignInRecord:
    return SignInRecord.objects.create(
        kind=kind,
        via=via,
        user=user,
        username=(username or (user.username if user else ""))[:150],
        provider=provider,
        subject=subject,
        roles=_listed(roles),
        previous_roles=_listed(previous_roles),
        changed_by=changed_by,
        detail=detail,
        ip_address=get_client_ip_address(request) if request is not None else None,
    )
