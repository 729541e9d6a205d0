"""A page of rows whose total is already known (e.g. from the per-status counts).

It offers what templates/_macros/ui.html's pager needs, like Flask-SQLAlchemy's
Pagination, without running a second COUNT over the same rows.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence


class Page:
    def __init__(self, items: Sequence, page: int, per_page: int, total: int, more: bool = False):
        """`more`: `total` is a lower bound (counting stopped there); the pager says "more than"."""
        self.items, self.page, self.per_page, self.total, self.more = list(items), page, per_page, total, more

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.more and len(self.items) == self.per_page)

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
                   right_edge: int = 2) -> Iterator[int | None]:
        """Page numbers to show, with None for a gap (as Flask-SQLAlchemy's Pagination does)."""
        pages = self.pages
        shown = sorted({*range(1, min(left_edge, pages) + 1),
                        *range(max(1, self.page - left_current), min(pages, self.page + right_current) + 1),
                        *range(max(1, pages - right_edge + 1), pages + 1)})
        last = 0
        for num in shown:  # a few numbers, whatever the number of pages
            if last + 1 != num:
                yield None
            yield num
            last = num
