"""The anonymous Q&A page cache, served ahead of the session and user middleware.

Most visitors read Q&A pages without an account. For a GET with no session cookie and
no flash-message cookie the visitor is certainly anonymous with no pending messages, so
a page stored by `answers.qa_page.question_detail` can be answered here, before the
session, CSRF, authentication, messages, CSP and security-header middleware run (a
third of the time of a cached hit). Those middlewares' headers are not lost: the page is
stored on its way out through this middleware with the headers the whole stack gave it
(never a cookie). Anything else (a session, a stale slug, a page not cached yet) goes
through the stack and the view as usual. Invalidation is unchanged (questions/cache.py).

Per language: this runs before LocaleMiddleware, so it reads the page's language from the
URL prefix itself (none: the default language) and resolves and looks up the page in it;
each language's copy is its own entry. An unprefixed page is not served from here to a
visitor LanguageRedirectMiddleware would send to the other language (forum/i18n.py).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation

from forum import i18n
from questions.cache import cached_page, store_page

# Paths of Q&A pages resolved so far, per process: the URLconf does not change while
# the process runs, and a page hit then costs no resolving. Bounded, so a crawler's
# stream of distinct paths only pushes the oldest out.
ROUTES_KEPT = 8192
# Set by the view on a page it may share: (question id, stamp, entry, seconds).
PAGE_ATTRIBUTE = "qa_shared_page"
# Headers that belong to one response only.
PRIVATE_HEADERS = {"content-length", "set-cookie", "date"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/questions/"  # after the language prefix, if any

    def __call__(self, request):
        cached = self._cached_response(request)
        if cached is not None:
            return cached
        response = self.get_response(request)
        shared = getattr(response, PAGE_ATTRIBUTE, None)
        if shared is not None and response.status_code == 200 and not response.cookies:
            pk, stamp, entry, seconds = shared
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in PRIVATE_HEADERS
            }
            store_page(pk, stamp, {**entry, "headers": headers}, seconds)
        return response

    @staticmethod
    def _unprefixed_path(path: str) -> str:
        """The path without its language prefix: "/zh-hant/questions/..." -> "/questions/..."."""
        return path[path.find("/", 1) :] if i18n.is_prefixed(path) else path

    def _cached_response(self, request) -> HttpResponse | None:
        if (
            request.method != "GET"
            or not self._unprefixed_path(request.path_info).startswith(self.prefix)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
            or i18n.language_redirect(request) is not None
        ):
            return None
        route = question_route(request.path_info, get_urlconf() or settings.ROOT_URLCONF)
        if route is None:
            return None
        pk, slug, language = route
        entry, stamp = cached_page(pk, language)
        # The view (reached when this is a miss) reuses the look-up instead of repeating it.
        request.qa_page_lookup = (pk, entry, stamp)
        if entry is None or "headers" not in entry or entry["slug"] != slug:
            return None
        response = HttpResponse(entry["content"], headers=entry["headers"])
        # As CommonMiddleware gave the first answer: without it, a server such as
        # gunicorn sends the page in chunks.
        response.headers["Content-Length"] = str(len(entry["content"]))
        return response


@functools.lru_cache(maxsize=ROUTES_KEPT)
def question_route(path: str, urlconf: str) -> tuple[int, str, str] | None:
    """(question id, slug, language) when `path` is a Q&A page (questions:detail) in
    `urlconf`, read in the language its prefix names (none: the default), else None."""
    language = i18n.language_of_path(path)
    try:
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return None
    if match.view_name != "questions:detail":
        return None
    return match.kwargs["pk"], match.kwargs["slug"], language


@receiver(setting_changed)
def _forget_routes(*, setting, **kwargs) -> None:
    # A test that swaps the URLconf or the languages must not get routes of the old ones.
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        question_route.cache_clear()
