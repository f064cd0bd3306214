"""Views of the service itself rather than of a page: /healthz for load balancers and
the handlers Django calls for a 400, 404 or 500 (settings: forum/urls.py).

They read no app's tables and import nothing above `forum`, so they stay in the bottom
layer with the middleware and security code they extend: an error page must not depend
on the pages it stands in for.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import translation
from django.utils.module_loading import import_string
from django.views import defaults
from django.views.decorators.cache import never_cache

from forum import i18n
from forum.middleware import DATABASE_ERRORS, database_unavailable_response


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """handler500: Django calls it for any exception nothing else turned into a response,
    including those raised in a middleware's body (see forum/middleware.py). A lost
    database still gets the friendly 503 there; anything else the plain 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        response = database_unavailable_response(request, exception)
    else:
        response = defaults.server_error(request)
    # Raised in a middleware's body, the header middleware may not have run.
    return with_security_headers(request, response)


# The middleware that set the security headers Django's SecurityMiddleware does not:
# X-Frame-Options, the CSP, Permissions-Policy and CORP (forum/security.py).
HEADER_MIDDLEWARE = {
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "forum.security.SitePolicyCSPMiddleware",
    "forum.security.SecurityHeadersMiddleware",
}


def with_security_headers(request, response):
    """`response` with the headers of HEADER_MIDDLEWARE, for a response made inside a
    middleware that sits above them (so they never see it). When they have run for this
    request (django-csp's process_request sets request.csp_nonce) they add the headers
    on the way out as for any page, and `response` is returned as it is."""
    if hasattr(request, "csp_nonce"):
        return response

    def handler(request):
        return response

    for path in reversed([name for name in settings.MIDDLEWARE if name in HEADER_MIDDLEWARE]):
        handler = import_string(path)(handler)
    return handler(request)


def bad_request(request, exception):
    """handler400. Django refuses a bad Host header (DisallowedHost, from
    request.get_host() in CommonMiddleware or the page cache) with this view, called
    from inside the middleware that asked: the header middleware below it would never
    see the page, so it goes through them here."""
    return with_security_headers(request, defaults.bad_request(request, exception))


def page_not_found(request, exception):
    """handler404. A URL with a language prefix names its language; one without it (a
    mistyped or old link, which no page answers, so the language redirect never sent it
    on) is answered in the visitor's preferred language: the switcher's cookie, the
    account's language, then Accept-Language."""
    if i18n.is_prefixed(request.path_info):
        return defaults.page_not_found(request, exception)
    language = i18n.preferred_language(request, getattr(request, "user", None))
    with translation.override(language):
        response = defaults.page_not_found(request, exception)
    i18n.vary_on_language(response)
    return response
