"""pfcc.pagination: a page of a list, its number read like any filter, a bounded set of links."""

from django.test import RequestFactory

from pfcc.pagination import paginate


def _pages(query: str, *, items=range(1000), **kwargs):
    return paginate(RequestFactory().get("/list/?" + query), items, per_page=10, **kwargs)


def test_a_long_list_shows_at_most_seven_page_links():
    pages = _pages("page=50&q=burglary")
    assert [link.number for link in pages.links] == [1, None, 49, 50, 51, None, 100]
    assert [link.number for link in pages.links if link.current] == [50]
    assert pages.links[2].href == "?q=burglary&page=49"
    assert (pages.previous, pages.next) == ("?q=burglary&page=49", "?q=burglary&page=51")
    assert list(pages.items) == list(range(490, 500)) and pages.count == 1000


def test_a_page_number_that_is_not_one_shows_the_first_page_and_past_the_end_the_last():
    assert _pages("page=²").page.number == 1
    assert _pages("page=-3").page.number == 1
    assert _pages("page=99999999999999999999").page.number == 1
    assert _pages("page=200").page.number == 100


def test_one_address_can_hold_several_lists_each_with_its_own_page():
    pages = _pages("police-page=3&fire-page=2", prefix="police", fragment="police-each-response")
    assert pages.page.number == 3
    assert pages.next == "?fire-page=2&police-page=4#police-each-response"


def test_a_list_that_fits_one_page_has_no_links():
    pages = _pages("", items=range(7))
    assert pages.links == [] and pages.previous == pages.next == ""
