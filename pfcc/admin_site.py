"""The project's admin site: Django's own, with the search of every list bounded.

The admin ANDs one condition per search word, each ORed over every search field: 20,000
words made a query that ran for over five minutes. Every ModelAdmin registered here, the
project's and those of Django and third-party apps alike, gets BoundedSearch.
"""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.text import smart_split

MAX_SEARCH_LENGTH = 200
MAX_SEARCH_TERMS = 8


def bounded(search_term: str) -> str:
    """The search with at most MAX_SEARCH_TERMS words, MAX_SEARCH_LENGTH characters in all."""
    return " ".join(list(smart_split(search_term[:MAX_SEARCH_LENGTH]))[:MAX_SEARCH_TERMS])


class BoundedSearch:
    def get_search_results(self, request, queryset, search_term):
        searched = bounded(search_term)
        if searched != " ".join(smart_split(search_term)):
            messages.warning(
                request,
                f"Only the first {MAX_SEARCH_TERMS} words (up to {MAX_SEARCH_LENGTH} "
                f"characters) were searched for: {searched}",
            )
        return super().get_search_results(request, queryset, searched)


class ReadOnly:
    """For records that only their own code writes: the admin shows them, never changes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedSearch):
            admin_class = type(admin_class.__name__, (BoundedSearch, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


class AdminConfig(DjangoAdminConfig):
    """Django's admin app with this site as admin.site (INSTALLED_APPS names this class)."""

    default_site = "pfcc.admin_site.AdminSite"
