"""Paging for list pages: bad page numbers never give an error, and counting stops early."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

# Counting every row of a popular tag or specialty costs more than the page itself at a
# million questions (and deep OFFSETs get slow); past this many, lists say "1,000+" and
# page through the newest ones. Search finds the rest.
COUNT_CAP = 1_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]  # not generic at run time
    """A Paginator that counts a query set only up to `cap` rows (one LIMITed COUNT)."""

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _raw_count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Unordered: any cap + 1 rows will do, so no sort and no ordered index walk.
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self._raw_count, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted."""
        return self._raw_count > self.cap


def get_page(request: HttpRequest, object_list: Any, per_page: int) -> Page[Any]:
    """The page asked for by ?page=; nonsense or numbers below 1 give the first page and
    numbers past the end the last one."""
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        number = 1
    return CappedPaginator(object_list, per_page).get_page(max(number, 1))
