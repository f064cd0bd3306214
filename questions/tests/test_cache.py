from questions.cache import invalidate_all_pages, invalidate_question_page, page_cache_key


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
