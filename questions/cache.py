"""Versioned keys for the anonymous Q&A page cache.

A cached page is stamped with the question's own version and a site-wide generation,
and served only while both are current.
Any write that changes what a Q&A page shows calls questions/changes.py, which calls
`invalidate_question_page` (that question's page) or `invalidate_all_pages` (every
page, e.g. when a newly answered question may enter other pages' Similar Q&A). Old entries are never
read again and age out of the cache.

Two stores, for two jobs:
- The versions live in the default cache, which every worker and app server shares
  (Redis, or the database cache without it): whether a page is current is decided
  there, so an invalidation counts everywhere on the next request.
- The pages themselves live in the PAGES_ALIAS cache: Redis with REDIS_URL, else the
  memory of each worker. A page kept by one worker is served only under the stamp it
  was rendered with, and a stamp is made of the shared versions, so a worker can never
  serve a page another worker's write made stale; it only renders each page once for
  itself. That keeps a page hit to one small shared read and a cold page free of
  shared-cache writes (the database cache writes cost several statements each).

Per language: each language's copy of a page is its own entry (the page key and the
stamp carry the language, the active one unless given), while the versions are shared
by the languages, so one invalidation drops every language's copy at once.

A version that was never set (or expired) reads as "0" and is not written: a page
kept under "0" before the first invalidation expires (PAGE_SECONDS at most) long
before that invalidation's version does (VERSION_SECONDS), so "0" cannot come back
while such a page is still kept.
"""

from __future__ import annotations

import base64
import pickle
import uuid

import psycopg
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import InterfaceError, OperationalError, connections, router, transaction
from django.utils import timezone, translation
from psycopg import pq

GENERATION_KEY = "qa:generation"
VERSIONS_ALIAS = "qa_versions"
PAGES_ALIAS = "qa_pages"
# How long a rendered page is kept; versions must outlive it (see above).
PAGE_SECONDS = 10 * 60
VERSION_SECONDS = 60 * 60
UNSET = "0"
assert VERSION_SECONDS > PAGE_SECONDS


class VersionsDatabaseCache(DatabaseCache):
    """Django's database cache with a leaner read, for the versions table that every
    cached Q&A page reads: one fixed statement (the same text for the same number of
    keys, so the server keeps it prepared) that leaves expired rows out itself, instead
    of reading them, converting each expiry in Python and deleting the expired ones on
    the spot (a version is overwritten by its next bump, and expired rows are culled by
    the writes, as in Django's). On PostgreSQL it goes to libpq through psycopg's `pq`
    layer, prepared once per connection (see _read_with_libpq), unless statements are being
    recorded (tests counting them, debug). Writes and everything else are Django's."""

    def __init__(self, table, params):
        super().__init__(table, params)
        self._libpq_statements: dict[tuple[str, int], bytes] = {}

    def get_many(self, keys, version=None):
        if not keys:
            return {}
        # make_key: the keys are the page cache's own, and validating them (for memcached's
        # rules) is a loop over every character on every page hit.
        key_map = {self.make_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        if connection.vendor == "postgresql" and not connection.queries_logged:
            sql, params = self._libpq_statement(connection, len(key_map)), list(key_map)
        else:
            quote_name = connection.ops.quote_name
            sql = (
                f"SELECT {quote_name('cache_key')}, {quote_name('value')} "
                f"FROM {quote_name(self._table)} "
                f"WHERE {quote_name('cache_key')} IN ({', '.join(['%s'] * len(key_map))}) "
                f"AND {quote_name('expires')} > %s"
            )
            now = timezone.now() if settings.USE_TZ else timezone.now().replace(tzinfo=None)
            params = [*key_map, connection.ops.adapt_datetimefield_value(now)]
        # This read is the request's health check (CONN_HEALTH_CHECKS): instead of a
        # "SELECT 1" round trip before it, a connection found broken is replaced and the
        # read tried once more.
        retry = connection.health_check_enabled and not connection.health_check_done
        if retry and not connection.in_atomic_block:
            connection.health_check_done = True
        try:
            rows = self._read(connection, sql, params)
        except (InterfaceError, OperationalError):
            if not retry or connection.in_atomic_block:
                raise
            connection.close()
            rows = self._read(connection, sql, params)
        return {
            key_map[key]: pickle.loads(base64.b64decode(connection.ops.process_clob(value)))  # noqa: S301
            for key, value in rows
        }

    def _libpq_statement(self, connection, count: int) -> bytes:
        """The read for `count` keys in libpq's terms ($1, $2, ...; the expiry compared with
        now() by PostgreSQL), made once per connection alias and number of keys."""
        key = (connection.alias, count)
        sql = self._libpq_statements.get(key)
        if sql is None:
            quote_name = connection.ops.quote_name
            sql = self._libpq_statements[key] = (
                f"SELECT {quote_name('cache_key')}, {quote_name('value')} "
                f"FROM {quote_name(self._table)} "
                f"WHERE {quote_name('cache_key')} IN "
                f"({', '.join(f'${n}' for n in range(1, count + 1))}) "
                f"AND {quote_name('expires')} > now()"
            ).encode()
        return sql

    @staticmethod
    def _read(connection, sql, params: list) -> list:
        """The rows of the read: `sql` in bytes is the libpq statement of _libpq_statement
        (with the keys as its parameters), in text Django's with its placeholders."""
        if isinstance(sql, bytes):
            return _read_with_libpq(connection, sql, params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _read_with_libpq(connection, sql: bytes, keys: list[str]) -> list:
    """The versions read as one libpq call (psycopg's `pq` layer). Through Django's cursor
    and psycopg's, the read cost the worker about twice the CPU of the call itself
    (123 us against 65 us a hit, measured on the 100k dataset), as much as all the
    middleware a hit skips.

    Outside a transaction (a page hit, in autocommit) the statement is prepared under its
    own name once per connection, which also halves the wait (139 us against 205 us). psycopg
    deallocates every prepared statement after a rollback, so a name it dropped is prepared
    again: outside a transaction the failed call harms nothing. Inside one (or when
    prepared statements are off, behind a pooler that cannot keep them) the statement is
    sent with its parameters, never risking an error that would abort the transaction."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    params = [key.encode() for key in keys]
    with connection.wrap_database_errors:
        if (
            pgconn.transaction_status != pq.TransactionStatus.IDLE
            or connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None
        ):
            result = pgconn.exec_params(sql, params)
        else:
            name = b"qa_versions_" + str(len(keys)).encode()
            prepared = getattr(connection, "qa_versions_prepared", None)
            if prepared is None or prepared[0] is not pgconn:  # a new connection
                prepared = connection.qa_versions_prepared = (pgconn, set())
            result = None
            if name in prepared[1]:
                result = pgconn.exec_prepared(name, params)
                if result.error_field(pq.DiagnosticField.SQLSTATE) == INVALID_STATEMENT_NAME:
                    prepared[1].discard(name)  # deallocated after a rollback
                    result = None
            if result is None:
                _check(pgconn.prepare(name, sql), pq.ExecStatus.COMMAND_OK)
                prepared[1].add(name)
                result = pgconn.exec_prepared(name, params)
        _check(result, pq.ExecStatus.TUPLES_OK)
        return [
            (result.get_value(row, 0).decode(), result.get_value(row, 1))
            for row in range(result.ntuples)
        ]


# SQLSTATE of a prepared statement that does not exist (any more).
INVALID_STATEMENT_NAME = b"26000"


def _check(result, status) -> None:
    """A libpq result that is not `status` raised as psycopg's error (which Django's
    wrap_database_errors turns into its own): a broken connection is an OperationalError."""
    if result.status != status:
        message = (result.error_message or b"").decode(errors="replace") or "no result"
        raise psycopg.OperationalError(message)


def _versions():
    """The shared store of versions (the default cache where no VERSIONS_ALIAS is set)."""
    return caches[VERSIONS_ALIAS] if VERSIONS_ALIAS in settings.CACHES else cache


def _pages():
    """The store of rendered pages (the default cache where no PAGES_ALIAS is set)."""
    return caches[PAGES_ALIAS] if PAGES_ALIAS in settings.CACHES else cache


def _version_key(question_id: int) -> str:
    return f"qa:version:{question_id}"


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def page_cache_key(question_id: int, language: str | None = None) -> str:
    """The stamp of the question's anonymous page in `language` (the active one by
    default) as of now: it changes with every invalidation of that page."""
    keys = [GENERATION_KEY, _version_key(question_id)]
    return _stamp(question_id, _language(language), _versions().get_many(keys))


def cached_page(question_id: int, language: str | None = None) -> tuple[dict | None, str]:
    """With one shared-cache round trip: the question's kept page in `language` (the
    active one by default) if it was rendered under the current versions (else None),
    and the stamp to keep a fresh page under."""
    language = _language(language)
    keys = [GENERATION_KEY, _version_key(question_id)]
    page_key = _page_key(question_id, language)
    if _one_store():  # Redis: the versions and the page in one round trip
        found = _versions().get_many([*keys, page_key])
        entry = found.get(page_key)
    else:
        found = _versions().get_many(keys)
        entry = _pages().get(page_key)
    stamp = _stamp(question_id, language, found)
    return (entry if entry is not None and entry.get("stamp") == stamp else None), stamp


def _one_store() -> bool:
    """Whether the versions and the pages are kept in the same cache (with Redis)."""
    versions = settings.CACHES.get(VERSIONS_ALIAS, settings.CACHES["default"])
    return settings.CACHES.get(PAGES_ALIAS, settings.CACHES["default"]) == versions


def store_page(question_id: int, stamp: str, entry: dict, timeout: int = PAGE_SECONDS) -> None:
    """Keep a rendered page under the stamp cached_page() gave before rendering it: if
    the page was invalidated meanwhile, the stamps differ and it is never served. The
    stamp names the language, so the page is kept as that language's copy."""
    language = stamp.rsplit(":", 1)[-1]
    _pages().set(
        _page_key(question_id, language), {**entry, "stamp": stamp}, min(timeout, PAGE_SECONDS)
    )


def _page_key(question_id: int, language: str) -> str:
    # One entry per question and language, overwritten on each render: old pages do not
    # pile up.
    return f"qa:page:{question_id}:{language}"


def _stamp(question_id: int, language: str, found: dict) -> str:
    generation = found.get(GENERATION_KEY) or UNSET
    version = found.get(_version_key(question_id)) or UNSET
    return f"qa:page:{question_id}:{generation}:{version}:{language}"


def _bump(key: str) -> None:
    _versions().set(key, uuid.uuid4().hex, VERSION_SECONDS)


def _bump_now_and_after_commit(key: str) -> None:
    # Now, so this request and any test sees the change; again after commit, so a
    # page rendered from the old data by a concurrent request in between is not kept.
    _bump(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(key))


def invalidate_question_page(question_id: int) -> None:
    """Make the next request for this question's page render afresh."""
    _bump_now_and_after_commit(_version_key(question_id))


def invalidate_all_pages() -> None:
    """Make the next request for every Q&A page render afresh."""
    _bump_now_and_after_commit(GENERATION_KEY)
