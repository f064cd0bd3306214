"""Turn a lost database into a friendly 503 page instead of a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("forum.availability")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("database unavailable: %s", type(exception).__name__)
            html = render_to_string("503.html", {"SITE_NAME": "Ask a Doctor"})
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "30"
            return response
        return None
