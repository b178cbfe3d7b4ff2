"""The staff home page: what is due, what is late, and how the office has done."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from inspections import deadlines
from inspections.context_processors import office_settings
from pfcc.pagination import paginate
from responses import dashboard, record
from responses.dashboard_forms import PUBLISHED_LIST, DashboardFilterForm, DeadlineListForm

# The dashboard's tabs: (id, tab, heading), each holding the panels whose PanelSpec.tab is its id.
TABS = [
    ("due", "Due and overdue", "Responses due and overdue"),
    ("waiting", "Waiting", "Responses waiting for review, publication or copies"),
    ("findings", "Findings", "Recommendations and other findings due and overdue"),
    ("force", "The force", "The chief officer's comments and the force's progress"),
]


def _filter_query(request, **replace: str) -> str:
    """The filter part of the query string, carried into every link behind a figure."""
    query = request.GET.copy()
    for key in ("panel", "year", "page"):
        query.pop(key, None)
    for key, value in replace.items():
        query[key] = value
    return query.urlencode()


def _list_href(request, key: str, **replace: str) -> str:
    query = _filter_query(request, **replace)
    return f"{reverse('deadline-list')}?panel={key}" + (f"&{query}" if query else "")


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def dashboard_page(request):
    form = DashboardFilterForm(request.GET)
    filters = dashboard.Filters(**form.filters(request.user))
    today = deadlines.today()
    office = office_settings(request)
    counts = dashboard.count(today=today, office=office, filters=filters)
    panels = dashboard.panels(today=today, office=office, filters=filters, counts=counts)
    links = {spec.key: _list_href(request, spec.key) for spec in dashboard.PANELS}
    figures = [
        (spec, counts[spec.key], links[spec.key])
        for spec in dashboard.PANELS
        if spec.figure and dashboard.applies(spec, filters)
    ]
    # The one thing to act on first: the most overdue response, else the most overdue finding.
    overdue = [panel for panel in panels if panel.spec.key in ("overdue", "findings-overdue")]
    most_overdue = next((panel.rows[0] for panel in overdue if panel.rows), None)
    context = {
        "form": form,
        "filtered": bool(filters.service or filters.owner),
        "today": today,
        "figure_groups": [
            ([f for f in figures if f[0].about != "findings"], "Responses", "two-thirds"),
            ([f for f in figures if f[0].about == "findings"], "Findings", "one-third"),
        ],
        "alerts": ("overdue", "findings-overdue"),
        "most_overdue": most_overdue,
        "tabs": [
            (key, tab, heading, [(p, links[p.spec.key]) for p in panels if p.spec.tab == key])
            for key, tab, heading in TABS
        ],
        "weeks": dashboard.timeline_rows(
            dashboard.timeline(today=today, office=office, filters=filters, counts=counts)
        ),
        "timeline_lists": [
            (dashboard.PANELS_BY_KEY[key], counts[key], links[key])
            for key in ("due-90", "findings-due-90")
        ],
        "compliance": dashboard.compliance(filters),
        "legend": record.LEGEND,
        "timeline_legend": dashboard.TIMELINE_LEGEND,
        "year_href": _list_href(request, PUBLISHED_LIST) + "&year=",
        "filter_query": _filter_query(request),
    }
    return render(request, "responses/dashboard.html", context)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def deadline_list(request):
    """The full list behind one figure on the dashboard, with the same filters, a page at a time."""
    form = DeadlineListForm(request.GET)
    filters = dashboard.Filters(**form.filters(request.user))
    today = deadlines.today()
    office = office_settings(request)
    key = form.values["panel"]
    context = {"form": form, "today": today, "filter_query": _filter_query(request), "key": key}
    if key == PUBLISHED_LIST:
        year = form.values["year"]
        context["pages"] = paginate(
            request, dashboard.published_in(year, filters), per_page=dashboard.PAGE_SIZE
        )
        context["year"] = year
    elif key in dashboard.PANELS_BY_KEY:
        spec = dashboard.PANELS_BY_KEY[key]
        pages = paginate(
            request,
            dashboard.panel_items(key, today=today, office=office, filters=filters),
            per_page=dashboard.PAGE_SIZE,
        )
        rows = dashboard.panel_rows(key, pages.items, today=today, office=office)
        context |= {"spec": spec, "pages": pages, "rows": rows}
    else:
        raise Http404("No such list")
    return render(request, "responses/deadline_list.html", context)
