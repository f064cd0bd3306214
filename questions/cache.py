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

GENERATION_KEY = "qa:generation"


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
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(version_key, version, None)
        version = cache.get(version_key, version)
    return f"qa:page:{question_id}:{generation}:{version}"


def invalidate_question_page(question_id: int) -> None:
    """Make the next request for this question's page render afresh."""
    cache.set(_version_key(question_id), uuid.uuid4().hex, None)


def invalidate_all_pages() -> None:
    """Make the next request for every Q&A page render afresh."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
