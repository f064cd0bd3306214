"""Sitemaps: /sitemap.xml is an index of paged sitemaps that stays valid at millions of
questions.

Questions and tags are paged by id range (page p holds the ids in ((p-1)*n, p*n]), not
by OFFSET: a page costs one primary-key range scan, the number of pages comes from the
highest id (one index probe) instead of a COUNT(*) over every row, and a question keeps
its page as new questions arrive. A page can hold fewer than n URLs (ids of unpublished
questions) and, rarely, none: an empty <urlset> is still valid.

Only published, answered questions are listed (the pages worth a search engine's visit),
tags with at least one such question, every specialty and every verified doctor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from types import SimpleNamespace
from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, OuterRef
from django.urls import reverse

from forum.models import DoctorProfile, Specialty
from questions.models import Question, Tag, TaggedQuestion

IDS_PER_SITEMAP = 5000

_PK, _SLUG = 987654321, "sitemap-slug-placeholder"


def _url_maker(name: str, with_pk: bool) -> Callable[..., str]:
    """A fast stand-in for reverse(name) for thousands of rows: reverse once, then format."""
    kwargs = {"pk": _PK, "slug": _SLUG} if with_pk else {"slug": _SLUG}
    pattern = reverse(name, kwargs=kwargs).replace("{", "{{").replace("}", "}}")
    pattern = pattern.replace(str(_PK), "{pk}").replace(_SLUG, "{slug}")
    return lambda slug, pk=None: pattern.format(pk=pk, slug=quote(slug, safe=""))


class IdRangePaginator:
    """Just what the sitemap views use of a Paginator (num_pages, page().object_list)."""

    def __init__(self, rows: Callable[[int, int], list], last_id: int, per_page: int):
        self.rows = rows
        self.per_page = per_page
        self.num_pages = max(1, -(-last_id // per_page))

    def page(self, number) -> SimpleNamespace:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.per_page + 1
        return SimpleNamespace(object_list=self.rows(low, number * self.per_page))


class QuestionSitemap(Sitemap):
    ids_per_page = IDS_PER_SITEMAP

    @cached_property
    def paginator(self) -> IdRangePaginator:
        last_id = (
            Question.objects.published()
            .answered()
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
        return IdRangePaginator(self._rows, last_id or 0, self.ids_per_page)

    def _rows(self, low: int, high: int) -> list[tuple]:
        return list(
            Question.objects.published()
            .answered()
            .filter(pk__gte=low, pk__lte=high)
            .order_by("id")
            .values_list("id", "slug", "updated_at", "answered_at")
        )

    @cached_property
    def _url(self):
        return _url_maker("questions:detail", with_pk=True)

    def location(self, item) -> str:
        pk, slug, _updated, _answered = item
        return self._url(slug, pk)

    def lastmod(self, item):
        _pk, _slug, updated_at, answered_at = item
        return max(updated_at, answered_at)

    def get_latest_lastmod(self):
        # The index gives no lastmod for the question pages: an exact one would need
        # the newest change among a million rows, and a wrong one misleads crawlers.
        return None


class TagSitemap(Sitemap):
    ids_per_page = IDS_PER_SITEMAP

    @cached_property
    def paginator(self) -> IdRangePaginator:
        last_id = Tag.objects.order_by("-id").values_list("id", flat=True).first()
        return IdRangePaginator(self._rows, last_id or 0, self.ids_per_page)

    def _rows(self, low: int, high: int) -> list[str]:
        answered = TaggedQuestion.objects.filter(
            tag=OuterRef("pk"),
            content_object__status=Question.Status.PUBLISHED,
            content_object__answered_at__isnull=False,
        )
        return list(
            Tag.objects.filter(pk__gte=low, pk__lte=high)
            .filter(Exists(answered))
            .order_by("id")
            .values_list("slug", flat=True)
        )

    @cached_property
    def _url(self):
        return _url_maker("questions:tag", with_pk=False)

    def location(self, item: str) -> str:
        return self._url(item)


class SpecialtySitemap(Sitemap):
    def items(self):
        return Specialty.objects.all()


class DoctorSitemap(Sitemap):
    def items(self):
        return DoctorProfile.objects.verified().order_by("id")


class PageSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["forum:home"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "specialties": SpecialtySitemap,
    "doctors": DoctorSitemap,
    "tags": TagSitemap,
    "questions": QuestionSitemap,
}
