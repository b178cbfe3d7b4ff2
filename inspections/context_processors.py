from django.utils.functional import SimpleLazyObject

from inspections.models import OfficeSettings


def office_settings(request) -> OfficeSettings:
    """The office's settings, read once per request: views and every page's header share it.

    Kept on the request, not in a process-wide cache, so a change in the admin shows on the
    next request in every worker.
    """
    if not hasattr(request, "office"):
        request.office = OfficeSettings.load()
    return request.office


def office(request):
    """The office's name and details for every page's header and footer."""
    return {"office": SimpleLazyObject(lambda: office_settings(request))}
