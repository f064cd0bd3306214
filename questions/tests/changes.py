"""Assert what a write refreshes, in the style of Misago's `assert_invalidates_cache`.

    with assert_pages_invalidated(question_ids=[question.pk], all_pages=True):
        suspend_doctor(doctor=doctor, moderator=moderator, reason="Licence lapsed")

Each helper reads the derived store before and after the block, so it proves the effect
(the page version moved, the list was marked stale), whichever function caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from unittest import mock

from questions import changes
from questions.cache import GENERATION_KEY, _versions, page_cache_key
from questions.models import Question


@contextmanager
def assert_pages_invalidated(
    *, question_ids: Iterable[int] = (), all_pages: bool = False
) -> Iterator[None]:
    """The pages of `question_ids` are invalidated by the block (their stamp changes);
    with all_pages=True every page is (the site-wide generation moves), with False the
    generation must not move."""
    ids = list(question_ids)
    store = _versions()
    generation = store.get(GENERATION_KEY)
    stamps = {pk: page_cache_key(pk) for pk in ids}
    yield
    stale = [pk for pk in ids if page_cache_key(pk) == stamps[pk]]
    assert not stale, f"pages of questions {stale} were not invalidated"
    moved = store.get(GENERATION_KEY) != generation
    assert moved == all_pages, (
        "every page was expected to be invalidated"
        if all_pages
        else "every page was invalidated, only some were expected to be"
    )


@contextmanager
def assert_search_refreshed(question_ids: Iterable[int]) -> Iterator[None]:
    """The search documents of `question_ids` are rewritten within the block."""
    with mock.patch.object(
        changes, "refresh_question_document", wraps=changes.refresh_question_document
    ) as refresh:
        yield
    refreshed = {call.args[0] for call in refresh.call_args_list}
    missing = set(question_ids) - refreshed
    assert not missing, f"search documents of questions {sorted(missing)} were not refreshed"


@contextmanager
def assert_search_not_refreshed() -> Iterator[None]:
    """No search document is rewritten within the block."""
    with mock.patch.object(
        changes, "refresh_question_document", wraps=changes.refresh_question_document
    ) as refresh:
        yield
    assert not refresh.called, f"search was refreshed: {refresh.call_args_list}"


@contextmanager
def assert_similar_marked_stale(question_ids: Iterable[int]) -> Iterator[None]:
    """The stored Similar Q&A lists of `question_ids` are marked stale (ranked anew on their
    next view) by the block. The lists are given a value first, so a list that was never
    computed still proves it."""
    ids = list(question_ids)
    Question.objects.filter(pk__in=ids).update(similar_ids=[])
    yield
    kept = list(
        Question.objects.filter(pk__in=ids, similar_ids__isnull=False).values_list("pk", flat=True)
    )
    assert not kept, f"Similar Q&A lists of questions {sorted(kept)} were not marked stale"
