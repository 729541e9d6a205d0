"""The pager's page numbers: a few around the current page and at both ends, whatever the number of pages."""
from __future__ import annotations

import pytest

from tracker.paging import Page


def brute_force(page: Page, left_edge, left_current, right_current, right_edge):
    """Every page number tested one by one (what the pager did before; slow for 20,000 pages)."""
    last = 0
    for num in range(1, page.pages + 1):
        if (num <= left_edge or page.page - left_current <= num <= page.page + right_current
                or num > page.pages - right_edge):
            if last + 1 != num:
                yield None
            yield num
            last = num


@pytest.mark.parametrize("total", [0, 1, 24, 25, 26, 75, 250, 2600])
@pytest.mark.parametrize("number", [1, 2, 3, 5, 9, 10, 11, 50, 104, 105])
@pytest.mark.parametrize("edges", [(2, 2, 4, 2), (1, 2, 2, 1), (0, 0, 0, 0)])
def test_page_numbers(total, number, edges):
    page = Page([], number, 25, total)
    assert list(page.iter_pages(*edges)) == list(brute_force(page, *edges))


def test_a_lower_bound_total_keeps_next_while_pages_are_full():
    full = Page(list(range(25)), 400, 25, 10_000, more=True)
    assert full.pages == 400 and full.has_next and full.next_num == 401
    assert not Page(list(range(7)), 401, 25, 10_000, more=True).has_next
    assert not Page(list(range(25)), 400, 25, 10_000).has_next
