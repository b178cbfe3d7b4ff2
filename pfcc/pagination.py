"""Pages of a long list: the one way a list is cut into pages, with a bounded set of page links.

    pages = paginate(request, queryset, per_page=25)              # ?page=3
    pages = paginate(request, queryset, per_page=20, prefix="police", fragment="police-responses")

A page costs two queries whatever the list's length: its count and its rows. The links are the
first and last pages and those beside the current one (Paginator.get_elided_page_range), so a
list of 2,000 pages shows at most seven. The page number is read by a FilterForm like every other
query parameter: a number that is not one shows the first page, one past the end the last.
Templates show `pages` with templates/includes/pagination.html.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator

from pfcc.filters import FilterForm

# Beyond any list's length, and within every database's integer.
MAX_PAGE = 2**31 - 1


class PageForm(FilterForm):
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE)


@dataclass(frozen=True)
class Link:
    number: int | None  # None: the ellipsis between runs of links
    href: str
    current: bool = False


@dataclass(frozen=True)
class Pages:
    page: Page
    links: list[Link]
    previous: str  # the previous page's address, or ""
    next: str

    @property
    def items(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count


def paginate(request, items, *, per_page: int, prefix: str = "", fragment: str = "") -> Pages:
    """The page of `items` the query string asks for. `prefix` names the page parameter
    ("police-page") when one address holds several lists; `fragment` is where links land."""
    form = PageForm(request.GET, prefix=prefix or None)
    page = Paginator(items, per_page).get_page(form.values["page"])
    param = form.add_prefix("page")
    others = request.GET.copy()
    others.pop(param, None)
    kept = others.urlencode()

    def href(number: int) -> str:
        query = f"{kept}&{param}={number}" if kept else f"{param}={number}"
        return f"?{query}" + (f"#{fragment}" if fragment else "")

    paginator = page.paginator
    links = [
        Link(None, "")
        if number == paginator.ELLIPSIS
        else Link(number, href(number), current=number == page.number)
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Pages(
        page,
        links if paginator.num_pages > 1 else [],
        href(page.previous_page_number()) if page.has_previous() else "",
        href(page.next_page_number()) if page.has_next() else "",
    )
