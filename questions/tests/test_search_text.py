"""Folding, bigram tokens, query words and cutting text (questions/search_text.py)."""

import time

import pytest

from questions.search_text import (
    cut_end,
    fold,
    fold_aligned,
    index_text,
    query_terms,
    safe_cut,
    segment,
    vocabulary,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("頭痛 Headache", "头痛 headache"),
        ("ＭＲＩ　０９１２－３４５", "mri 0912-345"),
        ("臺灣 台灣", "台湾 台湾"),
        ("甲狀腺亢進", "甲状腺亢进"),
        ("头痛", "头痛"),
    ],
)
def test_fold_gives_one_form_for_traditional_simplified_and_full_width(text, folded):
    assert fold(text) == folded
    assert fold(folded) == folded  # folding twice is folding once


def test_fold_aligned_keeps_every_position():
    text = "頭痛ＭＲＩ 😷 e\u0301 ﬁ"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded.startswith("头痛mri")


def test_index_text_turns_chinese_runs_into_bigrams_and_keeps_english():
    assert index_text("胃食道逆流，MRI") == " 胃食 食道 道逆 逆流 流 ,mri"
    assert index_text("痛") == " 痛 "
    assert index_text("Back pain") == "back pain"


def test_segment_keeps_known_terms_whole_and_unknown_runs_together():
    assert segment(fold("胃食道逆流")) == ["胃食道逆流"]
    assert segment(fold("頭痛發燒")) == ["头痛", "发烧"]
    assert segment(fold("我最近頭痛很嚴重")) == ["最近", "头痛", "严重"]
    assert segment(fold("阿茲海默")) == ["阿兹海默"]
    assert segment(fold("的")) == ["的"]  # a one-character query stays


def test_query_terms_split_chinese_from_the_rest():
    terms = query_terms('MRI 頭痛 -發燒 "back pain"')
    assert terms.han == [("头痛", False), ("发烧", True)]
    assert terms.rest.split() == ["mri", '"back', 'pain"']
    assert terms.tsquery() == "('头痛') & !('发烧')"
    assert query_terms("甲狀腺").tsquery() == "('甲状' <-> '状腺')"
    assert query_terms("癢").tsquery() == "'痒':*"
    assert query_terms("back pain").tsquery() == ""


def test_query_terms_stay_linear_on_a_long_run():
    start = time.perf_counter()
    terms = query_terms("頭" * 200)
    assert time.perf_counter() - start < 0.5
    assert terms.han == [("头" * 200, False)]


def test_vocabulary_is_traditional_chinese():
    words = vocabulary()
    assert "胃食道逆流" in words and "甲狀腺亢進" in words
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        # After the sentence mark in the last half.
        ("我最近頭痛很嚴重。已經持續兩個禮拜了每天早上起床都會痛", 16, "我最近頭痛很嚴重。"),
        # Else after a clause mark in the last third.
        ("已經持續兩個禮拜了，每天早上起床都會痛", 12, "已經持續兩個禮拜了，"),
        # Else between two characters.
        ("已經持續兩個禮拜了每天早上起床都會痛", 10, "已經持續兩個禮拜了每"),
        # English: at a space, as before.
        ("Hello there my friend", 13, "Hello there"),
        ("Hello there my friend", 14, "Hello there my"),
        ("Short", 10, "Short"),
    ],
)
def test_cut_end_cuts_chinese_at_punctuation_or_characters_and_english_at_spaces(
    text, length, expected
):
    assert cut_end(text, length) == expected


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("ae\u0301b", 2, 1),  # not between e and its combining accent
        ("x👩\u200d⚕️y", 3, 1),  # not inside a joined emoji
        ("x👩\u200d⚕️y", 2, 1),
        ("頭痛", 1, 1),
        ("頭痛", 5, 2),
    ],
)
def test_safe_cut_never_cuts_inside_a_character(text, index, expected):
    assert safe_cut(text, index) == expected
