"""Versioned keys for the anonymous Q&A page cache.

A cached page is stamped with the question's own version and a site-wide generation,
and served only while both are current.
Any write that changes what a Q&A page shows calls `invalidate_question_page`
(that question's page) or `invalidate_all_pages` (every page, e.g. when a newly
answered question may enter other pages' Similar Q&A). Old entries are never
read again and age out of the cache. The versions live in the configured cache,
so with REDIS_URL set every app server sees an invalidation at once.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "qa:generation"
# Versions only need to outlive the pages cached under them (10 minutes); expiring
# them keeps keys made by requests for unknown ids from piling up. An expired
# version is replaced by a new one, which only costs a cache miss.
VERSION_SECONDS = 60 * 60


def _version_key(question_id: int) -> str:
    return f"qa:version:{question_id}"


def page_cache_key(question_id: int) -> str:
    """The stamp of the question's anonymous page as of now: it changes with every
    invalidation of that page."""
    version_key = _version_key(question_id)
    return _stamp(question_id, cache.get_many([GENERATION_KEY, version_key]))


def cached_page(question_id: int) -> tuple[dict | None, str]:
    """In one cache round trip: the question's stored page if it was rendered under the
    current versions (else None), and the stamp to store a fresh page under."""
    page_key = _page_key(question_id)
    found = cache.get_many([GENERATION_KEY, _version_key(question_id), page_key])
    stamp = _stamp(question_id, found)
    entry = found.get(page_key)
    return (entry if entry is not None and entry.get("stamp") == stamp else None), stamp


def store_page(question_id: int, stamp: str, entry: dict, timeout: int) -> None:
    """Keep a rendered page under the stamp cached_page() gave before rendering it: if
    the page was invalidated meanwhile, the stamps differ and it is never served."""
    cache.set(_page_key(question_id), {**entry, "stamp": stamp}, timeout)


def _page_key(question_id: int) -> str:
    # One entry per question, overwritten on each render: old pages do not pile up.
    return f"qa:page:{question_id}"


def _stamp(question_id: int, found: dict) -> str:
    version_key = _version_key(question_id)
    generation = found.get(GENERATION_KEY)
    version = found.get(version_key)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, VERSION_SECONDS)
        generation = cache.get(GENERATION_KEY, generation)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(version_key, version, VERSION_SECONDS)
        version = cache.get(version_key, version)
    return f"qa:page:{question_id}:{generation}:{version}"


def _bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, VERSION_SECONDS)


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
