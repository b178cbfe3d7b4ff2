from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app with the project's site (pfcc.admin_site) as admin.site."""

    default_site = "pfcc.admin_site.AdminSite"
