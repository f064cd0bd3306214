"""Two request-wide concerns of the bottom layer: a lost database turns into a friendly
503 page instead of a 500 (below), and the visitor's language where the URL does not name
one (LanguageRedirectMiddleware, at the end).

The 503:

Two ways in, one answer (database_unavailable_response):

- DatabaseUnavailableMiddleware.process_exception, for errors raised by a view or its
  decorators (login_required loading the session and user is usually the first query).
- forum.service_views.server_error (handler500), for errors raised in a middleware's
  own body: Django turns those into a response (handler500) before any outer middleware's
  __call__ could catch them, and process_exception never sees them, so moving this
  middleware in MIDDLEWARE would not help.

A view may name its own page for the outage with @database_unavailable_page, e.g. the
ask form shown again with what the patient typed. Other views get 503.html.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from forum import i18n

logger = logging.getLogger("forum.availability")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_page(page):
    """Decorator for a view: while the database is unreachable, answer page(request)
    instead of the generic 503 page (page returns None to fall back to it). The page
    must not touch the database; it is only offered to requests that pass the CSRF
    check, so a forged cross-site POST is never echoed into a form."""

    def decorate(view):
        view.database_unavailable_page = page
        return view

    return decorate


def _view_page(request):
    match = getattr(request, "resolver_match", None)
    if match is None:  # a middleware failed before the URL was resolved
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    return getattr(match.func, "database_unavailable_page", None)


class _CsrfCheck(CsrfViewMiddleware):
    """CsrfViewMiddleware's own check (cookie and form, no database), answering with a
    plain 403 instead of the failure page, which would need the database."""

    def _reject(self, request, reason):
        logger.warning("database unavailable page refused: %s", reason)
        return HttpResponseForbidden()


def _passes_csrf_check(request) -> bool:
    """CsrfViewMiddleware has accepted the request, or would now: it has not run yet
    when a middleware body failed."""
    if getattr(request, "csrf_processing_done", False):
        return True
    return _CsrfCheck(lambda request: None).process_view(request, None, (), {}) is None


def database_unavailable_response(request, exception) -> HttpResponse:
    """A 503 with Retry-After: the view's own outage page if it has one, else 503.html."""
    logger.error("database unavailable: %s", type(exception).__name__)
    response = None
    page = _view_page(request)
    if page is not None:
        try:
            if _passes_csrf_check(request):
                response = page(request)
        except Exception as exc:  # the error page itself must never fail
            logger.error("database unavailable page failed: %s", type(exc).__name__)
            response = None
    if response is None:
        html = render_to_string("503.html", {"SITE_NAME": "Ask a Doctor"})
        response = HttpResponse(html, status=503)
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request, exception)
        return None


class LanguageRedirectMiddleware:
    """The visitor's language where the URL does not name one (forum/i18n.py).

    - An unprefixed page asked for by a visitor who prefers the other language (their
      switcher cookie, their account's language, or on a first visit their browser's
      Accept-Language) is redirected to that language's URL: a 302 (the answer depends
      on the visitor), private and varying on Accept-Language and Cookie, so no shared
      cache keeps it. Every unprefixed page varies on both too (LocaleMiddleware adds
      Accept-Language only).
    - Admin, outside the language prefixes, is shown in the preferred language.

    After AuthenticationMiddleware (for User.language); the user is looked at only when
    there is no language cookie and a session cookie says someone may be signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefixed = i18n.is_prefixed(request.path_info)
        user = None
        if (
            not prefixed
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            user = getattr(request, "user", None)
        try:
            target = i18n.language_redirect(request, user)
        except DATABASE_ERRORS:
            # The user could not be read: no redirect here; the view's own database error
            # gets the friendly 503 (DatabaseUnavailableMiddleware, with every header).
            target = None
        if target is not None:
            response = HttpResponseRedirect(target)
            i18n.vary_on_language(response)
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            return response
        if request.path_info.startswith("/admin/"):
            try:
                language = i18n.preferred_language(request, getattr(request, "user", None))
            except DATABASE_ERRORS:
                language = settings.LANGUAGE_CODE
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if not prefixed:
            i18n.vary_on_language(response)
        return response
