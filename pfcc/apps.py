from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app with the project's site (pfcc.admin) as admin.site."""

    default_site = "pfcc.admin.AdminSite"
