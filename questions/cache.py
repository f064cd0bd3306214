"""Versioned keys for the anonymous Q&A page cache.

A cached page's key holds the question's own version and a site-wide generation.
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
    """The cache key of the question's anonymous page as of now."""
    version_key = _version_key(question_id)
    found = cache.get_many([GENERATION_KEY, version_key])
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
