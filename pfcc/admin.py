"""Administrators read the sign-in records and organisation accounts here, never change them;
role changes made in the user admin are sign-in records too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User

from inspections.models import ForceContributor
from pfcc import audit
from pfcc.admin_site import ReadOnly
from pfcc.models import OrganisationAccount, SignInRecord

# One way in for everyone: the sign-in page, which offers what AUTH_MODE allows.
admin.site.login = login_required(admin.site.login)


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


@admin.register(SignInRecord)
class SignInRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "via", "username", "roles", "provider", "ip_address"]
    list_filter = ["kind", "via", "provider", "at"]
    search_fields = [
        "username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "subject",
        "roles",
        "detail",
        "ip_address",
    ]
    date_hierarchy = "at"


@admin.register(OrganisationAccount)
class OrganisationAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "subject", "issuer", "created_at"]
    list_filter = ["issuer"]
    search_fields = ["subject", "user__username", "user__email", "user__last_name"]
    list_select_related = ["user"]


class OrganisationAccountInline(admin.TabularInline):
    model = OrganisationAccount
    fields = ["issuer", "subject", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ForceContributorInline(admin.StackedInline):
    """The service a force contributor works for, set beside their role."""

    model = ForceContributor
    extra = 0
    max_num = 1
    verbose_name = verbose_name_plural = "service, for a force contributor"


admin.site.unregister(User)


@admin.register(User)
class RecordingUserAdmin(UserAdmin):
    inlines = [ForceContributorInline, OrganisationAccountInline]

    def save_related(self, request, form, formsets, change):
        # The user is saved by now, their groups not yet.
        before = audit.role_names(form.instance)
        super().save_related(request, form, formsets, change)
        after = audit.role_names(form.instance)
        if after != before:
            audit.record(
                request,
                kind=audit.Kind.ROLES_CHANGED,
                via=audit.Via.ADMIN,
                user=form.instance,
                roles=after,
                previous_roles=before,
                changed_by=request.user,
            )
