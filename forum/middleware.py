"""Turn a lost database into a friendly 503 page instead of a 500.

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

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

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
