"""Page links in the GOV.UK pagination pattern: a bounded set, whatever the number of pages."""

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.inclusion_tag("includes/pagination.html")
def pagination(page, query: str = "", label: str = "Pages"):
    """Previous and next, the first and last pages, and those either side of the current one,
    with ellipses between: at most nine links, be there 4 pages or 4,000."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return {
        "page": page,
        "prefix": f"?{query}&page=" if query else "?page=",
        "numbers": [None if n == Paginator.ELLIPSIS else n for n in numbers],
        "label": label,
    }
