"""A database that is down for a whole request, for tests of the friendly 503s."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection

# Put in settings.MIDDLEWARE to make the outage hit a middleware's own body first.
USER_CHECKING_MIDDLEWARE = "forum.tests.outage.UserCheckingMiddleware"


@contextmanager
def database_down(error=OperationalError) -> Iterator[list[str]]:
    """Every statement fails as if the server were gone; yields the statements tried."""
    tried: list[str] = []

    def refuse(execute, sql, params, many, context):
        tried.append(sql)
        raise error("connection to server at 127.0.0.1 failed: Connection refused")

    with connection.execute_wrapper(refuse):
        yield tried


class UserCheckingMiddleware:
    """Looks at request.user in its body, unguarded, like any middleware might."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 - loads the session and the user
        return self.get_response(request)
