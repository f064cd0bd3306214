"""System checks for configurations that would be wrong in production.

- E001: with debug off, a cache that lives in each process's memory (local memory, or
  the dummy cache that keeps nothing). Log-in throttles, allauth's rate limits (TOTP
  codes included), used TOTP codes, the anonymous page cache and its versions would
  then be counted and kept per gunicorn worker: the 6th wrong password is checked by
  another worker, a hidden reply stays in another worker's page cache.
- E002: with debug off, the console e-mail backend, which writes every message
  (password-reset links, addresses, question titles) into the log stream.
- W001: with debug off, an e-mail backend that discards mail (locmem, dummy).
- W002: read replicas with the database cache: the cache's reads follow the replica's lag.

Registered in ForumConfig.ready() for every command that runs checks and for
`check --deploy`. gunicorn runs no checks, so forum/wsgi.py calls
`refuse_to_start_if_misconfigured()`: an error stops the server before it serves.

Their messages stay in English, untranslated: an operator reads them in the start-up log
and searches the web for them, and they run before any request has a language.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core import checks
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger("forum.checks")

# The tag of the checks forum/wsgi.py runs at start-up (only these: they need no
# database and no cache connection, and run in gunicorn's master before it forks).
START_UP = "forum_start_up"

PROCESS_LOCAL_CACHES = (LocMemCache, DummyCache)
CACHE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
}
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
DISCARDING_EMAIL = {
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
MAIL_HINT = (
    "Set EMAIL_URL (e.g. smtp://user:password@smtp.example.org:587, or "
    "file:///var/spool/forum-mail for a folder a mail agent picks up), or EMAIL_HOST and "
    "the other EMAIL_* variables. The console backend is for DJANGO_DEBUG=1 only."
)


def _serves_nothing() -> bool:
    """manage.py commands that serve nothing and send no mail (settings.KEYLESS_COMMANDS,
    e.g. `makemigrations --check` on a bare checkout) are not held to these checks."""
    return (
        len(sys.argv) > 1
        and sys.argv[0].endswith("manage.py")
        and sys.argv[1] in getattr(settings, "KEYLESS_COMMANDS", ())
    )


def _backend(alias: str) -> type | None:
    try:
        return import_string(settings.CACHES[alias]["BACKEND"])
    except (KeyError, ImportError):
        return None  # Django's own cache checks report a missing or broken cache


def _shared_aliases() -> list[str]:
    """The caches whatever must be shared between processes goes through."""
    aliases = ["default"]
    if settings.SESSION_ENGINE in CACHE_SESSION_ENGINES:
        aliases.append(getattr(settings, "SESSION_CACHE_ALIAS", "default"))
    return list(dict.fromkeys(aliases))


def check_shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or _serves_nothing():
        return []
    errors = []
    for alias in _shared_aliases():
        backend = _backend(alias)
        if backend is None or not issubclass(backend, PROCESS_LOCAL_CACHES):
            continue
        errors.append(
            checks.Error(
                f"The {alias!r} cache ({backend.__name__}) is private to each process: "
                "log-in throttles, rate limits, sessions kept in the cache and the "
                "anonymous page cache would be counted and kept per gunicorn worker.",
                hint=(
                    "Set REDIS_URL (needed for several app servers), or use the database "
                    "cache (django.core.cache.backends.db.DatabaseCache, the default "
                    "without REDIS_URL; `manage.py migrate` creates its table)."
                ),
                id="forum.E001",
            )
        )
    return errors


def check_replica_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    backend = _backend("default")
    if (
        settings.DEBUG
        or _serves_nothing()
        or not getattr(settings, "DATABASE_REPLICA_URL", "")
        or backend is None
        or not issubclass(backend, BaseDatabaseCache)
    ):
        return []
    return [
        checks.Warning(
            "The database cache with a read replica: reads outside writing requests go "
            "to the replica, so a change to a page (a hidden reply) shows only after the "
            "replica's lag.",
            hint="Set REDIS_URL: read replicas are for several app servers, which share Redis.",
            id="forum.W002",
        )
    ]


def check_email_backend(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or _serves_nothing():
        return []
    if settings.EMAIL_BACKEND == CONSOLE_EMAIL:
        return [
            checks.Error(
                "E-mail goes to the console backend with debug off: every message, with "
                "its password-reset link, address and question title, would be written "
                "to the same stream as the logs.",
                hint=MAIL_HINT,
                id="forum.E002",
            )
        ]
    if settings.EMAIL_BACKEND in DISCARDING_EMAIL:
        return [
            checks.Warning(
                f"E-mail is discarded ({settings.EMAIL_BACKEND}) with debug off: nobody "
                "receives an address confirmation or a password-reset link.",
                hint=MAIL_HINT,
                id="forum.W001",
            )
        ]
    return []


def refuse_to_start_if_misconfigured() -> None:
    """Run the start-up checks: log their warnings, raise ImproperlyConfigured with
    every error (silenced ones, per SILENCED_SYSTEM_CHECKS, excepted)."""
    found = [message for message in checks.run_checks(tags=[START_UP]) if not message.is_silenced()]
    for message in found:
        if not message.is_serious():
            logger.warning("%s", message)
    errors = [message for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "The server will not start:\n" + "\n".join(str(error) for error in errors)
        )
