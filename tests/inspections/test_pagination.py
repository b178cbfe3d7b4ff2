"""Page links stay few however many pages a list has (GOV.UK pagination with ellipses)."""

import re

from django.core.paginator import Paginator
from django.template import Context, Template

TEMPLATE = Template("{% load pagination %}{% pagination page query 'Pages' %}")


def _links(number: int, pages: int = 2000, query: str = "") -> str:
    page = Paginator(range(pages * 25), 25).get_page(number)
    return TEMPLATE.render(Context({"page": page, "query": query}))


def test_a_list_of_2000_pages_shows_a_few_links_with_ellipses():
    html = _links(1000)
    numbers = re.findall(r'aria-label="Page (\d+)"', html)
    assert numbers == ["1", "999", "1000", "1001", "2000"]
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert 'aria-current="page">1000<' in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_the_links_keep_the_filters():
    html = _links(2, pages=3, query="q=custody&year=2024")
    assert 'href="?q=custody&amp;year=2024&amp;page=3"' in html


def test_a_single_page_shows_no_links():
    assert "govuk-pagination" not in _links(1, pages=1)
