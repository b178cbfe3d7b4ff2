"""The public site: only published records and their stored files, never live response data."""

from django.contrib.syndication.views import Feed
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET

from inspections.models import OfficeSettings
from pfcc.filters import years_of
from pfcc.pagination import paginate
from responses import open_data as open_data_files
from responses import published_files, record
from responses.models import Publication
from responses.public_forms import PublicFilterForm
from responses.publishing import (
    StoredFileProblem,
    alert,
    open_stored,
    read_stored,
)
from responses.rendering import statement_body

PAGE_SIZE = 20


def _versions(public_id) -> list[Publication]:
    """Every published version of one response, newest first; 404 if it has none."""
    versions = list(
        Publication.objects.filter(response__inspection__public_id=public_id)
        .select_related("response__inspection")
        .order_by("-version")
    )
    if not versions:
        raise Http404("No published response")
    return versions


def _get_version(public_id, version: int) -> Publication:
    """One version's record, in one query: what a download needs, not its search text."""
    try:
        return Publication.objects.listed().get(
            response__inspection__public_id=public_id, version=version
        )
    except Publication.DoesNotExist:
        raise Http404("No such published version") from None


@require_GET
def home(request):
    latest = Publication.objects.latest_versions()
    form = PublicFilterForm(request.GET, years=years_of(latest, "report_published_on"))
    values = form.values
    publications = latest.listed().search(values["q"])
    if values["year"]:
        publications = publications.filter(report_published_on__year=values["year"])
    if values["type"]:
        publications = publications.filter(inspection_type=values["type"])
    if values["service"]:
        publications = publications.filter(service=values["service"])
    publications = publications.select_related("response__inspection").newest_first()
    pages = paginate(request, publications, per_page=PAGE_SIZE)
    ctx = {"form": form, "pages": pages, "filtered": any(values.values())}
    return render(request, "public/home.html", ctx)


@require_GET
def response_detail(request, public_id, version: int | None = None):
    versions = _versions(public_id)
    current = (
        versions[0]
        if version is None
        else next((p for p in versions if p.version == version), None)
    )
    if current is None:
        raise Http404("No such published version")
    try:
        statement = statement_body(read_stored(current, "html").decode())
    except StoredFileProblem as problem:
        return _not_genuine(request, problem)
    ctx = {
        "publication": current,
        "latest": versions[0],
        "versions": versions,
        "statement": statement,
        "public_id": public_id,
    }
    return render(request, "public/response_detail.html", ctx)


@require_GET
def download(request, public_id, version: int, kind: str):
    """A stored file of one published version, byte for byte as it was published: checked
    here, then served by published_files.PublishedFileMiddleware from this process on."""
    publication = _get_version(public_id, version)
    served = published_files.Served.of(publication, kind)
    if (unchanged := served.not_modified(request)) is not None:
        return unchanged
    try:
        handle = open_stored(publication, kind)
    except StoredFileProblem as problem:
        return _not_genuine(request, problem)
    published_files.remember(request.path_info, served)
    return served.response(handle)


def _not_genuine(request, problem: StoredFileProblem):
    """A stored file that is missing or altered is never served as the published one."""
    alert(problem)
    ctx = {"publication": problem.publication, "kind": problem.kind, "problem": problem.problem}
    return render(request, "public/file_unavailable.html", ctx, status=503)


@require_GET
def on_time(request):
    """Each service's figures by year of the report, and its responses a page at a time."""
    figures = record.year_figures(
        Publication.objects.first_versions(), year=ExtractYear("report_published_on")
    )
    parts = [
        (
            part,
            paginate(
                request,
                record.first_publications().filter(service=part.rules.key),
                per_page=PAGE_SIZE,
                prefix=part.rules.key,
                fragment=f"{part.rules.key}-each-response",
            ),
        )
        for part in figures
    ]
    return render(request, "public/on_time.html", {"parts": parts, "legend": record.LEGEND})


@require_GET
def open_data(request):
    return render(request, "public/open_data.html")


@require_GET
def open_data_csv(request):
    return open_data_files.response(request, "hmicfrs-responses.csv")


@require_GET
def open_data_versions_csv(request):
    return open_data_files.response(request, "hmicfrs-response-versions.csv")


@require_GET
def open_data_json(request):
    return open_data_files.response(request, "hmicfrs-responses.json")


@require_GET
def accessibility(request):
    return render(request, "public/accessibility.html")


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class PublicationFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{OfficeSettings.load().office_name}: responses to HMICFRS inspections"

    def link(self):
        return reverse("public-home")

    def subtitle(self):
        return "Each response and amendment published here, newest first."

    def items(self):
        # Statements imported from the office's earlier record were not published here, and
        # have no time of publication to give an entry.
        return (
            Publication.objects.listed()
            .filter(published_at__isnull=False)
            .select_related("response__inspection")
            .order_by("-published_at")[:50]
        )

    def item_title(self, item):
        return item.title if item.version == 1 else f"{item.title} (version {item.version})"

    def item_description(self, item):
        # Atom sends descriptions as <summary type="html">: escaped, the note reads as typed
        # and nothing in it runs in a feed reader.
        if item.version > 1:
            return escape(f"Version {item.version}: {item.amendment_note}")
        report_date = f"{item.report_published_on:%-d %B %Y}"
        return f"The commissioner's response to the HMICFRS report published on {report_date}."

    def item_link(self, item):
        return reverse(
            "public-response-version", args=[item.response.inspection.public_id, item.version]
        )

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
