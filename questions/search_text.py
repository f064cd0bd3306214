"""Text as search sees it, in English and Chinese: folding, index tokens, query terms,
and cutting text on character boundaries.

Chinese is written without spaces, so PostgreSQL's parsers keep a whole run of Chinese
characters as one token and a word inside a sentence is never found. Search therefore
indexes Chinese as overlapping character pairs (bigrams): 胃食道逆流 is indexed as
胃食 食道 道逆 逆流 流 (the last character of a run as well, so a one-character query
still finds it), and a query word becomes the phrase of its pairs. Every substring of
two or more characters is found, whatever a dictionary knows; 逆流 and 甲狀腺 are
found inside 胃食道逆流 and 甲狀腺亢進. (bench/zh_segmentation.py compares this with
segmenting words with jieba.) English text goes on through the `english` configuration
unchanged.

Before that, every text and every query is folded (`fold`): NFKC (full-width letters,
digits and punctuation become their ordinary forms), Traditional characters become
their Simplified form character by character (OpenCC's table: 頭痛 and 头痛 are the same
to search), and lower case.

A query's Chinese runs are split into words (`query_terms`) by longest match against a
small medical and everyday vocabulary (zh_terms.txt), so 頭痛發燒 finds a text with
頭痛 and 發燒 apart; a run the vocabulary does not know stays one phrase.

Everything here runs in time linear in the length of its input.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import Truncator

# Han characters: CJK Unified Ideographs and extension A, compatibility ideographs,
# extensions B and later (supplementary planes), and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN}]+")
_HAN_CHAR = re.compile(f"[{HAN}]")
# A run of Han characters in a query; with a "-" before it, its words must not occur.
_QUERY_HAN = re.compile(f"(-?)([{HAN}]+)")
MAX_WORD = 8  # the longest vocabulary entry, in characters
# One-character words too common to narrow a search when a query has other words.
STOP_CHARACTERS = frozenset("的了和是在我有很也都就嗎吗呢吧啊呀與与及或而但")
_STOP_SPLIT = re.compile("[" + "".join(sorted(STOP_CHARACTERS)) + "]+")
# Sentence punctuation a Chinese excerpt may end at (full-width and ASCII forms).
SENTENCE_ENDS = "。！？!?；;"
CLAUSE_ENDS = "，、,：:"
_TERMS_FILE = Path(__file__).with_name("zh_terms.txt")


def has_han(text: str) -> bool:
    return _HAN_CHAR.search(text) is not None


@functools.cache
def _t2s_table() -> dict[int, int]:
    """Traditional -> Simplified, one character for one, from OpenCC's t2s conversion
    of each Han character on its own (so no phrase rules apply), resolved to a fixed
    point so folding twice is folding once."""
    import opencc

    ranges = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
    chars = [chr(code) for start, stop in ranges for code in range(start, stop)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}
    for code, target in table.items():
        while ord(target) in table and table[ord(target)] != target:
            target = table[ord(target)]
        table[code] = target
    return {code: ord(target) for code, target in table.items()}


def fold(text: str) -> str:
    """The form search compares: NFKC, Simplified characters, lower case."""
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text):  # a quick check, 30 times faster
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_t2s_table()).lower()


@functools.cache
def _s2tw():
    import opencc

    return opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    """`text` in Traditional characters as Taiwan writes them (OpenCC's s2tw, phrase by
    phrase): where search compares folded text, a LIKE on stored titles needs the
    Traditional form of a word typed in Simplified (偏头痛 -> 偏頭痛)."""
    if text.isascii():
        return text
    return _s2tw().convert(text)


class _AlignedFold(dict):
    """str.translate table folding one character into one (fold() of the character when
    that is a single character, else the character lower-cased), filled as it meets
    characters: positions in the folded text are positions in the original."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = fold(char)
        value = folded if len(folded) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        self[code] = value
        return value


_ALIGNED = _AlignedFold()


def fold_aligned(text: str) -> str:
    """fold(), one character for one: for finding matches to highlight in the original."""
    return text.translate(_ALIGNED)


def _bigrams(run: str) -> str:
    if len(run) == 1:
        return f" {run} "
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    return " " + " ".join(pairs) + " " + run[-1] + " "


def index_text(text: str) -> str:
    """`text` as the tokens the search vector is built from: folded, with each run of Han
    characters replaced by its bigrams and its last character."""
    folded = fold(text)
    if folded.isascii():
        return folded
    return _HAN_RUN.sub(lambda m: _bigrams(m.group(0)), folded)


@functools.cache
def _vocabulary() -> frozenset[str]:
    words = set()
    for line in _TERMS_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(fold(word))
    return frozenset(w for w in words if has_han(w) and len(w) <= MAX_WORD)


def vocabulary() -> list[str]:
    """The Traditional Chinese terms of zh_terms.txt, as written (for generated data)."""
    return [
        word
        for line in _TERMS_FILE.read_text(encoding="utf-8").splitlines()
        if (word := line.split("#", 1)[0].strip()) and has_han(word)
    ]


def segment(run: str) -> list[str]:
    """A folded run of Han characters as words: longest vocabulary match from the left;
    characters between known words stay together as one word, split at very common
    one-character words (的, 了, 和 …), which are left out unless nothing else is left."""
    known = _vocabulary()
    words: list[str] = []
    unknown = ""
    i = 0
    while i < len(run):
        for size in range(min(MAX_WORD, len(run) - i), 1, -1):
            if run[i : i + size] in known:
                break
        else:
            size = 0
        if size:
            if unknown:
                words.append(unknown)
                unknown = ""
            words.append(run[i : i + size])
            i += size
        else:
            unknown += run[i]
            i += 1
    if unknown:
        words.append(unknown)
    kept = [part for word in words for part in _STOP_SPLIT.split(word) if part]
    return kept or words


@dataclass
class QueryTerms:
    """A folded query split in two: `rest`, the query without its Chinese (for
    websearch_to_tsquery), and `han`, its Chinese words as (word, excluded) pairs."""

    rest: str
    han: list[tuple[str, bool]]

    def tsquery(self) -> str:
        """The Chinese words as a tsquery over the bigram tokens ("" when none): each
        word the phrase of its bigrams, a one-character word as a prefix."""
        parts = []
        for word, excluded in self.han:
            if len(word) == 1:
                part = f"'{word}':*"
            else:
                pairs = [f"'{word[i : i + 2]}'" for i in range(len(word) - 1)]
                part = "(" + " <-> ".join(pairs) + ")"
            parts.append(("!" if excluded else "") + part)
        return " & ".join(parts)


def query_terms(query: str) -> QueryTerms:
    """Split a (cleaned, bounded) query into its Chinese words and the rest."""
    folded = fold(query)
    han: list[tuple[str, bool]] = []

    def take(match: re.Match) -> str:
        minus, run = match.group(1), match.group(2)
        excluded = bool(minus)
        for word in segment(run):
            if (word, excluded) not in han:
                han.append((word, excluded))
        return " "

    rest = _QUERY_HAN.sub(take, folded) if has_han(folded) else folded
    return QueryTerms(rest=rest, han=han)


# Cutting text --------------------------------------------------------------------


def _joins_previous(char: str) -> bool:
    """Whether `char` belongs with the character before it (a combining mark, a
    variation selector, a joiner, a surrogate half)."""
    if char in "\u200d\ufe0e\ufe0f" or "\udc00" <= char <= "\udfff":
        return True
    return unicodedata.category(char) in ("Mn", "Me", "Mc")


def safe_cut(text: str, index: int) -> int:
    """`index` moved back (a few characters at most) so that text[:index] does not end
    inside a character: not before a combining mark or after a joiner."""
    index = max(0, min(index, len(text)))
    for _ in range(8):
        if 0 < index < len(text) and (_joins_previous(text[index]) or text[index - 1] == "\u200d"):
            index -= 1
        else:
            break
    return index


def is_wide(char: str) -> bool:
    """Whether `char` is written without spaces around words (Han, kana, full-width)."""
    return bool(_HAN_CHAR.match(char)) or unicodedata.east_asian_width(char) in ("W", "F")


def cut_end(text: str, length: int) -> str:
    """At most `length` characters from the start of `text`, cut where a reader expects:
    in spaced text (English) at the last space; in Chinese after sentence punctuation
    (。！？) in the last half of the piece, or else after clause punctuation (，、) in its
    last third, or else between two characters."""
    if len(text) <= length:
        return text
    end = safe_cut(text, length)
    piece = text[:end]
    if end and (is_wide(text[end - 1]) or is_wide(text[end])):
        for marks, share in ((SENTENCE_ENDS, 2), (CLAUSE_ENDS, 3)):
            best = max(piece.rfind(mark) for mark in marks)
            if best >= 0 and best >= len(piece) - len(piece) // share:
                return piece[: best + 1]
        return piece
    if text[end] != " " and " " in piece:
        return piece.rsplit(" ", 1)[0]
    return piece


def truncate(text: str, length: int) -> str:
    """At most `length` characters of `text`, "…" included, as Django's truncatechars
    filter gives them, except where the cut falls in Chinese: there after sentence
    punctuation (。！？) in the last half, or else between two characters."""
    if len(text) <= length:
        return text
    end = safe_cut(text, length - 1)
    if end and (is_wide(text[end - 1]) or is_wide(text[end])):
        return cut_end(text, length - 1).rstrip(" ,，、；：。！？") + "…"
    return Truncator(text).chars(length)


# Words of a Chinese title too general to say what it is about (folded), for the
# ask-time suggestions of similar titles.
TITLE_STOP_WORDS = frozenset(
    fold(word)
    for word in "請問 醫師 醫生 問題 怎麼 怎麼辦 是否 需要 可以 什麼 一直 最近 會不會 正常 "
    "可能 原因 建議 症狀 擔心 嚴重".split()
)
_TITLE_WORD = re.compile(f"[a-z0-9]+|[{HAN}]+")


def title_words(text: str, limit: int = 20) -> list[tuple[str, str, bool]]:
    """(word as written, folded word, is Chinese) for the first `limit` words and Chinese
    runs of a title: English words as lower-case runs of letters and digits (full-width
    ones folded), each Chinese run split into words by the vocabulary. When the title
    has Chinese words the vocabulary knows, the characters between them are left out
    (要看哪一科 in 頭痛發燒要看哪一科 says little about what the question is)."""
    aligned = fold_aligned(text)
    known = _vocabulary()
    words: list[tuple[str, str, bool]] = []
    unknown: list[tuple[str, str, bool]] = []
    for count, match in enumerate(_TITLE_WORD.finditer(aligned)):
        if count >= limit:
            break
        word = match.group(0)
        if not has_han(word):
            words.append((word, word, False))
            continue
        position = match.start()
        for part in segment(word):
            position = aligned.index(part, position)
            entry = (text[position : position + len(part)], part, True)
            words.append(entry)
            if part not in known:
                unknown.append(entry)
            position += len(part)
    if len(unknown) < sum(chinese for _, _, chinese in words):
        words = [entry for entry in words if entry not in unknown]
    return words
