"""The staff home page: what is due, what is late, and how the office has done."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render

from inspections import deadlines
from inspections.context_processors import office_settings
from responses import dashboard
from responses.dashboard_forms import PUBLISHED_LIST, DashboardFilterForm, DeadlineListForm


def _filter_query(request, **replace: str) -> str:
    """The filter part of the query string, carried into every link behind a figure."""
    query = request.GET.copy()
    for key in ("panel", "year"):
        query.pop(key, None)
    for key, value in replace.items():
        query[key] = value
    return query.urlencode()


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def dashboard_page(request):
    form = DashboardFilterForm(request.GET)
    filters = dashboard.Filters(**form.filters(request.user))
    today = deadlines.today()
    office = office_settings(request)
    published = dashboard.published_responses(office=office, filters=filters)
    context = {
        "form": form,
        "today": today,
        "panels": dashboard.panels(today=today, office=office, filters=filters),
        "compliance": [
            (part, _filter_query(request, service=part.rules.key))
            for part in dashboard.compliance_by_service(published)
        ],
        "marks": dashboard.timeline(today=today, office=office, filters=filters),
        "ticks": dashboard.timeline_ticks(today),
        "filter_query": _filter_query(request),
        "chart": {
            "width": dashboard.CHART_WIDTH,
            "height": dashboard.CHART_HEIGHT,
            "base": dashboard.CHART_BASE,
        },
    }
    return render(request, "responses/dashboard.html", context)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def deadline_list(request):
    """The full list behind one figure on the dashboard, with the same filters."""
    form = DeadlineListForm(request.GET)
    filters = dashboard.Filters(**form.filters(request.user))
    today = deadlines.today()
    office = office_settings(request)
    key = form.values["panel"]
    context = {"form": form, "today": today, "filter_query": _filter_query(request), "key": key}
    if key == PUBLISHED_LIST:
        year = form.values["year"]
        context["published"] = dashboard.published_responses(
            office=office, filters=filters, year=year
        )
        context["year"] = year
    elif key in dashboard.PANELS_BY_KEY:
        context["panel"] = dashboard.panel(key, today=today, office=office, filters=filters)
    else:
        raise Http404("No such list")
    return render(request, "responses/deadline_list.html", context)
