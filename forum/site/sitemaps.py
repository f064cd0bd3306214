"""Sitemaps: /sitemap.xml is an index of paged sitemaps that stays valid at millions of
questions.

Questions and tags are paged by id range (page p holds the ids in ((p-1)*n, p*n]), not
by OFFSET: a page costs one primary-key range scan, the number of pages comes from the
highest id (one index probe) instead of a COUNT(*) over every row, and a question keeps
its page as new questions arrive. A page can hold fewer than n URLs (ids of unpublished
questions) and, rarely, none: an empty <urlset> is still valid.

The big sections build their URL entries without Django's per-item machinery and
`forum.site.views.sitemap_section` writes the XML without the template engine: at 5,000 URLs a
page, Django's sitemap template alone takes most of a second.

Every page is listed once per language (forum/urls.py: the default language unprefixed,
the other under its prefix), each entry with its hreflang alternates and the x-default
(the unprefixed URL), as Django's `Sitemap(i18n=True, alternates=True, x_default=True)`
gives them; the big sections build the same entries themselves.

Only published, answered questions are listed (the pages worth a search engine's visit),
tags with at least one such question, every specialty and every verified doctor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from types import SimpleNamespace
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone, translation

from forum.i18n import html_lang
from forum.models import DoctorProfile, Specialty
from forum.reversing import reverser
from questions.models import Question, Tag, TaggedQuestion

IDS_PER_SITEMAP = 5000


def _per_language(make: Callable[[], Callable[..., str]]) -> dict[str, Callable[..., str]]:
    """make() (a reverser) under each language, in the order of settings.LANGUAGES."""
    reversers = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reversers[code] = make()
    return reversers


def language_entries(base: str, paths: dict[str, str], **extra) -> list[dict]:
    """One entry per language for a page whose path in each language is `paths[code]`,
    each with the alternates of them all and the x-default (Django's Sitemap keys)."""
    alternates = [{"location": base + path, "lang_code": code} for code, path in paths.items()]
    alternates.append({"location": base + paths[settings.LANGUAGE_CODE], "lang_code": "x-default"})
    return [{"location": base + path, "alternates": alternates, **extra} for path in paths.values()]


class LanguageSitemap(Sitemap):
    """Django's per-language entries with hreflang alternates and x-default."""

    i18n = True
    alternates = True
    x_default = True


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


class QuestionSitemap(LanguageSitemap):
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
        # lastmod: the day of the last change (edit or first answer), in the site's time
        # zone, computed by the database: parsing 10,000 timestamps in Python would cost
        # more than the query.
        return list(
            Question.objects.published()
            .answered()
            .filter(pk__gte=low, pk__lte=high)
            .order_by("id")
            .values_list("id", "slug", TruncDate(Greatest("updated_at", "answered_at")))
        )

    @cached_property
    def _url(self):
        return reverser("questions:detail", pk=int, slug=str)

    def location(self, item) -> str:
        pk, slug, _lastmod = item
        return self._url(pk=pk, slug=slug)

    def lastmod(self, item):
        return item[2]

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """The page's entries, built in one pass (same keys as Sitemap.get_urls)."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = _per_language(lambda: reverser("questions:detail", pk=int, slug=str))
        entries = [
            entry
            for pk, slug, lastmod in self.paginator.page(page).object_list
            for entry in language_entries(
                base,
                {code: url(pk=pk, slug=slug) for code, url in urls.items()},
                lastmod=lastmod,
            )
        ]
        if entries:
            self.latest_lastmod = max(entry["lastmod"] for entry in entries)
        return entries

    def get_latest_lastmod(self):
        # The index gives no lastmod for the question pages: an exact one would need
        # the newest change among a million rows, and a wrong one misleads crawlers.
        return None


class TagSitemap(LanguageSitemap):
    ids_per_page = IDS_PER_SITEMAP

    @cached_property
    def paginator(self) -> IdRangePaginator:
        last_id = Tag.objects.order_by("-id").values_list("id", flat=True).first()
        return IdRangePaginator(self._rows, last_id or 0, self.ids_per_page)

    def _rows(self, low: int, high: int) -> list[str]:
        # A correlated "first answered question of this tag" (LIMIT 1) makes PostgreSQL
        # probe the (tag, question) index once per tag; EXISTS let it hash-join every
        # tag link with every question instead (seconds at a million questions).
        first_answered = TaggedQuestion.objects.filter(
            tag=OuterRef("pk"),
            content_object__status=Question.Status.PUBLISHED,
            content_object__answered_at__isnull=False,
        ).values("pk")[:1]
        return list(
            Tag.objects.filter(pk__gte=low, pk__lte=high)
            .alias(first_answered=Subquery(first_answered))
            .filter(first_answered__isnull=False)
            .order_by("id")
            .values_list("slug", flat=True)
        )

    @cached_property
    def _url(self):
        return reverser("questions:tag", slug=str)

    def location(self, item: str) -> str:
        return self._url(slug=item)

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """The page's entries, built in one pass (same keys as Sitemap.get_urls)."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        slugs = self.paginator.page(page).object_list
        urls = _per_language(lambda: reverser("questions:tag", slug=str))
        return [
            entry
            for slug in slugs
            for entry in language_entries(
                base, {code: url(slug=slug) for code, url in urls.items()}
            )
        ]


class SpecialtySitemap(LanguageSitemap):
    def items(self):
        return Specialty.objects.all()


class DoctorSitemap(LanguageSitemap):
    def items(self):
        return DoctorProfile.objects.verified().order_by("id")


class PageSitemap(LanguageSitemap):
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


def render_urlset(entries: list[dict]) -> str:
    """A sitemap <urlset> for entries with "location", an optional "lastmod" and optional
    "alternates" (hreflang links: "location" and "lang_code")."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    hreflang = {code: html_lang(code) for code, _name in settings.LANGUAGES}
    hreflang["x-default"] = "x-default"
    for entry in entries:
        lastmod = entry.get("lastmod")
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{hreflang.get(alt["lang_code"], "")}"'
            f' href="{xml_escape(alt["location"])}"/>'
            for alt in entry.get("alternates", ())
        )
        parts.append(
            f"<url><loc>{xml_escape(entry['location'])}</loc>"
            + (f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else "")
            + links
            + "</url>\n"
        )
    parts.append("</urlset>\n")
    return "".join(parts)


def _w3c(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()
