"""Which identity-provider account is which user, and the record of every sign-in, refusal and
role change.

They live in pfcc, the project's wiring, because signing in belongs to neither inspections nor
responses: the users are Django's and the roles responses' (responses/roles.py), and pfcc is
what joins them. Neither model keeps django-simple-history: a sign-in record is written once and
never changed (the admin shows it read-only), and an account link is never changed after it is
made; the changes that matter, to roles, are themselves sign-in records.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OrganisationAccount(models.Model):
    """A person's account at the identity provider, known by its stable subject (Entra's `oid`):
    people are never matched on an email address, which can be reused or changed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_accounts"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="organisation_account_subject_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="organisation_account_one_per_provider"
            ),
            models.CheckConstraint(
                condition=~Q(subject=""), name="organisation_account_has_subject"
            ),
        ]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"


class SignInRecord(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        REFUSED = "refused", "Refused"
        ROLES_CHANGED = "roles_changed", "Roles changed"

    class Via(models.TextChoices):
        PASSWORD = "password", "Password"
        BREAK_GLASS = "break_glass", "Break-glass password"
        SSO = "sso", "Organisation account"
        ADMIN = "admin", "Changed in the admin"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind)
    via = models.CharField(max_length=20, choices=Via)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when no account was signed in to, or it was deleted later.",
    )
    # As typed for a refused password, or the account's at the time: kept if the user goes.
    username = models.CharField(max_length=150, blank=True)
    provider = models.CharField(max_length=255, blank=True, help_text="The OpenID issuer.")
    subject = models.CharField(max_length=255, blank=True)
    roles = models.CharField(max_length=200, blank=True, help_text="Roles held after this.")
    previous_roles = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The administrator, for roles changed in the admin.",
    )
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The admin's list sorts by time and filters by kind and route.
            models.Index(fields=["-at"], name="sign_in_record_at"),
            models.Index(fields=["kind", "-at"], name="sign_in_record_kind_at"),
            models.Index(fields=["via", "-at"], name="sign_in_record_via_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="refused") | ~Q(detail=""),
                name="sign_in_record_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or 'unknown'} ({self.at:%Y-%m-%d %H:%M})"
