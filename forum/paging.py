"""Paging for list pages: bad page numbers never give an error."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def get_page(request, object_list, per_page: int) -> Page:
    """The page asked for by ?page=; nonsense or numbers below 1 give the first page and
    numbers past the end the last one."""
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        number = 1
    return Paginator(object_list, per_page).get_page(max(number, 1))
