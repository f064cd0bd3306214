"""Log-in rate limits: the LOGIN_FAILURE_LIMIT-th failed password check within
LOGIN_FAILURE_WINDOW_SECONDS is refused, per client IP and per account, on every log-in
form (LoginThrottleBackend is first in AUTHENTICATION_BACKENDS; forum.signals counts the
failures)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from forum.security.clients import _pseudonym, account_ref, client_ip, client_ref, normalise_login

logger = logging.getLogger("forum.security")


def _throttle_keys(request, login) -> list[str]:
    keys = [f"security:login-failures:client:{_pseudonym('throttle', client_ip(request))}"]
    login = normalise_login(login)
    if login:
        keys.append(f"security:login-failures:account:{_pseudonym('throttle', login)}")
    return keys


def _recent(history, now: float) -> list[float]:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    return [stamp for stamp in (history or []) if stamp > now - window]


@contextmanager
def _locked(key: str) -> Iterator[None]:
    """A short cache lock so parallel failures are all counted."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + 1
    while not cache.add(lock, 1, timeout=5) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield
    finally:
        cache.delete(lock)


def login_refused(request, login) -> bool:
    """True when this client or this account failed too often in the window."""
    now = time.time()
    return any(
        len(_recent(cache.get(key), now)) >= settings.LOGIN_FAILURE_LIMIT
        for key in _throttle_keys(request, login)
    )


def record_login_failure(request, login) -> None:
    """Count one failed password check against the client and the account."""
    now = time.time()
    for key in _throttle_keys(request, login):
        with _locked(key):
            history = _recent(cache.get(key), now)
            history.append(now)
            cache.set(key, history, settings.LOGIN_FAILURE_WINDOW_SECONDS)


class LoginThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every password check (admin
    form, allauth's log-in and re-authentication, anything calling Django's
    authenticate()) for a client or account that failed LOGIN_FAILURE_LIMIT
    times within LOGIN_FAILURE_WINDOW_SECONDS. Failures are counted by the
    user_login_failed receiver in forum.signals."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        login = credentials.get("email") or credentials.get("username")
        if login_refused(request, login):
            request._login_throttled = True
            logger.warning(
                "login refused: too many failures client=%s account=%s",
                client_ref(request),
                account_ref(login),
            )
            # PermissionDenied stops Django from asking the other backends.
            raise PermissionDenied(gettext("Too many failed log-in attempts."))
        return None

    # No get_user(): this backend never logs anyone in, and without it Django's
    # force_login() and session loading skip it.
