"""Primary/replica routing, enabled when DATABASE_REPLICA_URL is set (see settings).

Reads go to the "replica" database and writes to "default" (the primary), except where a
replica's lag would show: reads inside a transaction on the primary, reads during a request
that writes (any POST, PUT, PATCH or DELETE), and reads for a few seconds after such a
request from the same browser (a short cookie), so a patient who just asked sees the
question on "My questions" straight away.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "db_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_pinned: ContextVar[bool] = ContextVar("forum_db_pinned", default=False)


def is_pinned() -> bool:
    """True while reads must go to the primary."""
    return _pinned.get()


@contextlib.contextmanager
def pinned_to_primary() -> Iterator[None]:
    """Send every read inside the block to the primary (e.g. in a management command)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    """Writes to the primary; reads to the replica unless pinned or inside a write transaction."""

    def db_for_read(self, model, **hints) -> str:
        if is_pinned() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        databases = {PRIMARY, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


class PinPrimaryMiddleware:
    """Pin reads to the primary during writing requests and briefly after them."""

    def __init__(self, get_response):
        if not getattr(settings, "DATABASE_REPLICA_URL", ""):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.seconds = settings.DATABASE_REPLICA_PIN_SECONDS

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=self.seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
