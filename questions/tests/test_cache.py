from questions.cache import (
    cached_page,
    invalidate_all_pages,
    invalidate_question_page,
    page_cache_key,
    store_page,
)


def test_page_cache_key_is_stable_until_invalidated():
    first = page_cache_key(7)
    assert page_cache_key(7) == first
    invalidate_question_page(7)
    second = page_cache_key(7)
    assert second != first
    other = page_cache_key(8)
    invalidate_all_pages()
    assert page_cache_key(7) != second
    assert page_cache_key(8) != other


def test_cached_page_is_served_only_under_the_stamp_it_was_rendered_with():
    entry, stamp = cached_page(7)
    assert entry is None
    store_page(7, stamp, {"content": b"page"}, 60)
    assert cached_page(7) == ({"content": b"page", "stamp": stamp}, stamp)
    invalidate_question_page(7)
    assert cached_page(7)[0] is None
    # A render that started before the invalidation and is stored after it is not served.
    store_page(7, stamp, {"content": b"old page"}, 60)
    assert cached_page(7)[0] is None
    _, new_stamp = cached_page(7)
    store_page(7, new_stamp, {"content": b"new page"}, 60)
    assert cached_page(7)[0]["content"] == b"new page"
    invalidate_all_pages()
    assert cached_page(7)[0] is None
