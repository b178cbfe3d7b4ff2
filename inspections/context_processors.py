from inspections.models import OfficeSettings


def office(request):
    """The office's name and details for every page's header and footer."""
    return {"office": OfficeSettings.load()}
