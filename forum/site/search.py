"""Search over published questions: one function, `search_questions`, hides the backend.

On PostgreSQL it is full-text search over each question's `SearchDocument` vector
(title A, question text B, published replies C, published articles D; GIN index),
ranked with `ts_rank`, with highlighted snippets from `ts_headline` computed for the
shown page only. When nothing matches, words the site has never seen are replaced by the
closest known words (pg_trgm over the `SearchWord` vocabulary) and the search is tried
again: "headahce" finds what "headache" finds. On SQLite (local runs) it is a plain
substring search over the document's folded text, with the same interface; its typo
correction compares unknown words with the words of the newest documents
(`SIMPLE_VOCABULARY_DOCUMENTS`, Python's difflib), which suits the small databases it
serves.

Chinese (questions/search_text.py): documents and queries are folded (NFKC, Simplified
characters, lower case), so 頭痛 finds 头痛 and ＭＲＩ finds MRI. On PostgreSQL the
vector indexes Chinese as character bigrams; a query's Chinese words (split by the
medical vocabulary) become phrases of bigrams, ANDed with what websearch_to_tsquery
makes of the rest of the query (`MRI 頭痛` needs both). Snippets of queries with
Chinese words are cut and highlighted here, on character boundaries, since ts_headline
sees a run of Chinese characters as one word; ts_headline's own output is trimmed to a
readable length around its first match for the same reason.

Cost is bounded whatever the words: only the newest `CANDIDATE_LIMIT` matching
questions are ranked (a common word matches hundreds of thousands of questions and
ranking them all takes most of a second), and how they are found does not grow with how
common a word is. Rare words (by the planner's own statistics on the vectors) go straight
through the GIN index. Others read the newest `RECENT_WINDOW` documents in id order until
enough match, and only if too few did, look the older ones up through the GIN index. The
planner is not left to choose between those: it misjudges words that go together ("chest
tightness") and then reads tens of thousands of rows. Every statement runs under a
timeout.

Which questions: every published question, answered or not (an unanswered one tells a
patient that somebody already asked and lets them follow it). Pending, rejected and
removed questions never appear, and only published replies and articles are searched.

This module belongs to the site layer (forum/site/): the search page is its only user,
and it reads questions' search documents (kept by questions/search_index.py), which
hold the reply and article text answers hands over. It is one file (over 400 lines) on
purpose: both backends fill the same `SearchResults` and share the snippet and
highlighting helpers, and `search_questions` is the only way in.
"""

from __future__ import annotations

import difflib
import html
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import Case, F, IntegerField, Prefetch, Q, TextField, Value, When
from django.db.models.functions import Concat, StrIndex
from django.utils.safestring import SafeString, mark_safe

from forum.models import Specialty
from questions.models import Question
from questions.search_index import SEARCH_CONFIG
from questions.search_text import (
    CLAUSE_ENDS,
    HAN,
    SENTENCE_ENDS,
    QueryTerms,
    cut_end,
    fold_aligned,
    is_wide,
    query_terms,
    safe_cut,
)

MAX_QUERY_LENGTH = 200
CANDIDATE_LIMIT = 200
RECENT_WINDOW = 40_000
RARE_MATCHES = 3_000
STATEMENT_TIMEOUT_MS = 2000
WORK_MEM = "32MB"
# Private-use characters mark highlights in ts_headline output; the text is escaped
# first and only then are they turned into <mark> tags.
_MARK_START, _MARK_STOP = "\ue000", "\ue001"
_HIGHLIGHT = re.compile(f"{_MARK_START}(.*?){_MARK_STOP}", re.DOTALL)

# Problems a results page explains instead of showing results.
EMPTY = "empty"  # nothing typed
NO_TERMS = "no-terms"  # only very common words, punctuation or emoji
TIMEOUT = "timeout"  # the database gave up on an unusual query


@dataclass
class SearchResults:
    """The ranked ids of the matches; slicing fetches those questions, ready to show.

    A Paginator can page it directly: `len()` is the number of ranked matches and a
    slice runs one query (plus the tags prefetch) for that page's questions.
    """

    query: str = ""
    problem: str = ""
    truncated: bool = False
    capped: bool = False
    corrected: str = ""  # the query with typos corrected, when only that one matched
    ids: list[int] = field(default_factory=list)
    fetch: Callable[[list[int]], list[Question]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            page_ids = self.ids[index]
            return self.fetch(page_ids) if page_ids and self.fetch else []
        return self.fetch([self.ids[index]])[0]


def clean_query(raw: str | None) -> tuple[str, bool]:
    """The query with control characters removed, spaces collapsed and cut to
    MAX_QUERY_LENGTH characters; and whether it had to be cut."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in (raw or ""))
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    if " " in cut[MAX_QUERY_LENGTH // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.strip(), True


def search_questions(query: str | None, specialty: Specialty | None = None) -> SearchResults:
    """Published questions matching `query` (optionally in one specialty), best first."""
    text, truncated = clean_query(query)
    results = SearchResults(query=text, truncated=truncated)
    if not text:
        results.problem = EMPTY
        return results
    if connection.vendor == "postgresql":
        return _search_postgres(results, specialty)
    return _search_simple(results, specialty)


# PostgreSQL ------------------------------------------------------------------------

# %(q)s is the query without its Chinese words, %(zh)s those words as a tsquery over the
# bigram tokens (QueryTerms.tsquery); either may be empty.
_TSQUERY = f"(websearch_to_tsquery('{SEARCH_CONFIG}', %(q)s) && %(zh)s::tsquery)"
# Weights of D, C, B, A (articles, replies, question text, title). The braces are
# doubled twice: once for this f-string and once for .format() below.
_RANK = f"ts_rank('{{{{0.1, 0.2, 0.4, 1.0}}}}', d.vector, {_TSQUERY})"

# Step 0: the statement timeout and enough work_mem for exact bitmaps (a lossy one makes
# PostgreSQL recheck every row of a page) for this transaction, and the query as
# PostgreSQL parses it (numnode() = 0: no searchable words at all).
_PARSE_SQL = f"""
SELECT set_config('statement_timeout', %(timeout)s, true),
    set_config('work_mem', '{WORK_MEM}', true), numnode(tsq), tsq::text
FROM (SELECT {_TSQUERY} AS tsq) AS parsed
"""

# Rare words (the planner's own statistics say few documents can match): every match,
# newest first, through the GIN index. Sorting on "question_id + 0" keeps the planner off
# a backward primary-key scan, which would read every document when nothing matches.
_RARE_SQL = f"""
SELECT d.question_id, {_RANK} AS rank
FROM questions_searchdocument AS d
WHERE d.vector @@ {_TSQUERY} {{older}} {{specialty}}
ORDER BY d.question_id + 0 DESC
LIMIT %(limit)s
"""

# Other words, step 1: the documents of the newest RECENT_WINDOW question ids, read
# newest first through the primary key (the inner ORDER BY/LIMIT keeps the planner on
# that path), and the first CANDIDATE_LIMIT + 1 that match. A common word fills them after
# a few thousand rows; a rarer one costs one pass over the window. Step 2, only when the
# window held too few matches: the older documents, as for rare words (few match then).
_RECENT_SQL = f"""
SELECT top.id AS top_id, hit.question_id, hit.rank
FROM (SELECT max(question_id) AS id FROM questions_searchdocument) AS top
LEFT JOIN LATERAL (
    SELECT d.question_id, {_RANK} AS rank
    FROM (
        SELECT question_id, specialty_id, vector FROM questions_searchdocument
        WHERE question_id > top.id - %(window)s
        ORDER BY question_id DESC
        LIMIT %(window)s
    ) AS d
    WHERE d.vector @@ {_TSQUERY} {{specialty}}
    ORDER BY d.question_id DESC
    LIMIT %(limit)s
) AS hit ON true
"""

# The planner's statistics on the document vectors: the most common lexemes and the
# share of documents holding each (and, after them, the smallest such share).
_STATS_SQL = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples,
    10 * coalesce(
        nullif(a.attstattarget, -1), current_setting('default_statistics_target')::int
    ) AS capacity
FROM pg_class AS c
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'vector'
LEFT JOIN pg_stats AS s
    ON s.schemaname = current_schema() AND s.tablename = c.relname AND s.attname = 'vector'
WHERE c.oid = 'questions_searchdocument'::regclass
"""
_STATS_CACHE_KEY = "search:lexeme-stats"
_STATS_SECONDS = 600
_LEXEME = re.compile(r"'((?:[^']|'')*)'(:\*)?")
# A prefix (a one-character Chinese word) may stand for many lexemes the statistics do
# not list, each rarer than the least common listed one: count it as this many.
UNLISTED_PER_PREFIX = 20

# Typo suggestions: for each query word the vocabulary does not know, the most similar
# known word (pg_trgm similarity over the trigram index on questions_searchword).
_SUGGEST_SQL = """
SELECT input.word, (
    SELECT known.word FROM questions_searchword AS known
    WHERE known.word %% input.word
    ORDER BY similarity(known.word, input.word) DESC, known.documents DESC, known.word
    LIMIT 1
)
FROM unnest(%(words)s::text[]) AS input(word)
WHERE NOT EXISTS (SELECT 1 FROM questions_searchword AS k WHERE k.word = input.word)
"""
_SUGGESTABLE = re.compile(rf"[^\W\d_{HAN}]{{3,40}}")


def _search_postgres(results: SearchResults, specialty: Specialty | None) -> SearchResults:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            terms, hits = _postgres_candidates(cursor, results.query, specialty)
            if terms == 0:
                results.problem = NO_TERMS
                return results
            if not hits:
                corrected = _corrected_query(cursor, results.query)
                if corrected:
                    _terms, hits = _postgres_candidates(cursor, corrected, specialty)
                    if hits:
                        results.corrected = corrected
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        results.problem = TIMEOUT
        return results
    hits.sort(key=lambda hit: (-hit[1], -hit[0]))
    results.capped = len(hits) > CANDIDATE_LIMIT
    results.ids = [question_id for question_id, _rank in hits[:CANDIDATE_LIMIT]]
    results.fetch = _postgres_fetcher(results.corrected or results.query)
    return results


def _postgres_candidates(cursor, query: str, specialty: Specialty | None):
    """(number of search terms, [(question id, rank)]) for the newest matches."""
    terms = query_terms(query)
    params = {
        "q": terms.rest,
        "zh": terms.tsquery(),
        "timeout": str(STATEMENT_TIMEOUT_MS),
        "limit": CANDIDATE_LIMIT + 1,
    }
    cursor.execute(_PARSE_SQL, params)
    _timeout, _work_mem, terms, tsquery = cursor.fetchone()
    if not terms:
        return 0, []
    specialty_sql = ""
    if specialty is not None:
        params["specialty"] = specialty.pk
        specialty_sql = "AND d.specialty_id = %(specialty)s"
    if _expected_matches(tsquery) <= RARE_MATCHES:
        cursor.execute(_RARE_SQL.format(older="", specialty=specialty_sql), params)
        return terms, cursor.fetchall()
    params["window"] = RECENT_WINDOW
    cursor.execute(_RECENT_SQL.format(specialty=specialty_sql), params)
    rows = cursor.fetchall()
    hits = [(question_id, rank) for _top, question_id, rank in rows if question_id]
    before = (rows[0][0] or 0) - RECENT_WINDOW
    if len(hits) <= CANDIDATE_LIMIT and before > 0:
        params.update(before=before, limit=CANDIDATE_LIMIT + 1 - len(hits))
        older_sql = "AND d.question_id <= %(before)s"
        cursor.execute(_RARE_SQL.format(older=older_sql, specialty=specialty_sql), params)
        hits.extend(cursor.fetchall())
    return terms, hits


def _expected_matches(tsquery: str) -> float:
    """At most how many documents can match, by the planner's statistics: the count of
    the least common required lexeme (for a prefix, of the listed lexemes it starts, and
    as many unlisted ones as UNLISTED_PER_PREFIX). Infinite (so: not rare) for OR and NOT
    queries and when there are no statistics yet."""
    unquoted = _LEXEME.sub("", tsquery)
    if "|" in unquoted or "!" in unquoted:
        return math.inf
    stats = _lexeme_stats()
    if not stats["shares"]:
        return math.inf
    # A lexeme missing from the list is rarer than the least common listed one; and when
    # the list is not full, ANALYZE kept every lexeme but the very rarest (under about
    # 0.01% of documents), so a missing one is about as good as absent.
    unlisted = stats["least"] if stats["full"] else 0.0
    shares = []
    for quoted, prefix in _LEXEME.findall(tsquery):
        lexeme = quoted.replace("''", "'")
        if prefix:
            listed = sum(v for k, v in stats["shares"].items() if k.startswith(lexeme))
            shares.append(min(1.0, listed + UNLISTED_PER_PREFIX * unlisted))
        else:
            shares.append(stats["shares"].get(lexeme, unlisted))
    return min(shares, default=1.0) * stats["documents"]


def _lexeme_stats() -> dict:
    stats = cache.get(_STATS_CACHE_KEY)
    if stats is None:
        with connection.cursor() as cursor:
            cursor.execute(_STATS_SQL)
            lexemes, shares, documents, capacity = cursor.fetchone()
        stats = {"shares": {}, "least": 0.0, "full": True, "documents": max(documents, 0)}
        if lexemes and shares:
            stats["shares"] = dict(zip(lexemes, shares[: len(lexemes)], strict=True))
            stats["least"] = shares[len(lexemes)]  # the minimum share follows the list
            stats["full"] = len(lexemes) >= capacity
        cache.set(_STATS_CACHE_KEY, stats, _STATS_SECONDS)
    return stats


def _corrected_query(cursor, query: str) -> str:
    """The query with unknown words replaced by the closest known ones, or ""."""
    words = list(dict.fromkeys(w.lower() for w in _SUGGESTABLE.findall(query)))
    if not words:
        return ""
    cursor.execute(_SUGGEST_SQL, {"words": words})
    replacements = {word: better for word, better in cursor.fetchall() if better}
    if not replacements:
        return ""
    return _SUGGESTABLE.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), query)


def _postgres_fetcher(query: str):
    terms = query_terms(query)
    if terms.han:
        return _plain_fetcher(_plain_words(terms))
    tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    marks = {"start_sel": _MARK_START, "stop_sel": _MARK_STOP, "config": SEARCH_CONFIG}

    def fetch(ids: list[int]) -> list[Question]:
        rows = _question_rows(ids).annotate(
            title_headline=SearchHeadline("title", tsquery, highlight_all=True, **marks),
            body_headline=SearchHeadline(
                Concat(
                    "body", Value("\n"), "search_document__reply_text", output_field=TextField()
                ),
                tsquery,
                max_fragments=2,
                max_words=24,
                min_words=10,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        found = {question.pk: question for question in rows}
        shown = [found[pk] for pk in ids if pk in found]
        for question in shown:
            question.title_html = _marks_to_html(question.title_headline)
            question.snippet_html = _marks_to_html(_trimmed_headline(question.body_headline))
        return shown

    return fetch


def _plain_words(terms: QueryTerms) -> list[str]:
    """The words of a query to find and highlight as they are written (folded): its
    Chinese words and its other words, without excluded ones and "or"."""
    others = [
        word for minus, word in re.findall(r"(-?)(\w+)", terms.rest) if not minus and word != "or"
    ]
    chinese = [word for word, excluded in terms.han if not excluded]
    return list(dict.fromkeys(chinese + others))[:MAX_SIMPLE_WORDS]


# ts_headline counts a run of Chinese characters as one word, so its fragments of
# max_words can be whole paragraphs: longer ones are cut around their first match.
HEADLINE_CHARS = 300


def _trimmed_headline(text: str) -> str:
    text = text or ""
    if len(text) <= HEADLINE_CHARS:
        return text
    first = text.find(_MARK_START)
    start = _excerpt_start(text, max(first - HEADLINE_CHARS // 3, 0)) if first > 0 else 0
    return _cut_piece(text, start, HEADLINE_CHARS)


def _question_rows(ids: list[int]):
    """The published questions with these ids, with what a result row shows. Tags go to
    `tag_list`: taggit's manager would build a query set per row (a third of the time)."""
    return (
        Question.objects.published()
        .filter(pk__in=ids)
        .select_related("specialty")
        .prefetch_related(Prefetch("tags", to_attr="tag_list"))
    )


def _marks_to_html(text: str) -> SafeString:
    escaped = html.escape(text or "", quote=False)
    marked = _HIGHLIGHT.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(_MARK_START, "").replace(_MARK_STOP, ""))


# SQLite (and any other database) ---------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SIMPLE_WORDS = 8


def _search_simple(results: SearchResults, specialty: Specialty | None) -> SearchResults:
    words = _simple_words(results.query)
    if not words:
        results.problem = NO_TERMS
        return results
    ids = _simple_ids(words, specialty)
    if not ids:
        corrected = _simple_corrected_query(results.query)
        if corrected:
            corrected_words = _simple_words(corrected)
            ids = _simple_ids(corrected_words, specialty)
            if ids:
                results.corrected, words = corrected, corrected_words
    results.capped = len(ids) > CANDIDATE_LIMIT
    results.ids = ids[:CANDIDATE_LIMIT]
    results.fetch = _plain_fetcher(words)
    return results


# The typo fallback on SQLite reads the words of this many of the newest documents.
SIMPLE_VOCABULARY_DOCUMENTS = 2000
SIMILAR_WORD_CUTOFF = 0.75


def _simple_corrected_query(query: str) -> str:
    """The query with words no recent document holds replaced by the closest word that
    one does (difflib's ratio, at least SIMILAR_WORD_CUTOFF), or "". The query's words
    are few and short (clean_query, _SUGGESTABLE), so this stays cheap."""
    words = list(dict.fromkeys(w.lower() for w in _SUGGESTABLE.findall(query)))
    if not words:
        return ""
    texts = (
        Question.objects.published()
        .order_by("-id")
        .values_list("search_document__folded_text", flat=True)[:SIMPLE_VOCABULARY_DOCUMENTS]
    )
    known: set[str] = set()
    for text in texts:
        known.update(_SUGGESTABLE.findall(text or ""))
    replacements = {}
    for word in words:
        if word in known:
            continue
        near = [k for k in known if abs(len(k) - len(word)) <= 2]
        best = difflib.get_close_matches(word, near, n=1, cutoff=SIMILAR_WORD_CUTOFF)
        if best:
            replacements[word] = best[0]
    if not replacements:
        return ""
    return _SUGGESTABLE.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), query)


def _simple_words(query: str) -> list[str]:
    terms = query_terms(query)
    chinese = [word for word, _excluded in terms.han]
    words = list(dict.fromkeys(chinese + [w.lower() for w in _WORD.findall(terms.rest)]))
    return words[:MAX_SIMPLE_WORDS]


def _simple_ids(words: list[str], specialty: Specialty | None) -> list[int]:
    """Up to CANDIDATE_LIMIT + 1 ids of published questions holding every word, those
    with all of them in the title first, then newest first."""
    # folded_text starts with the folded title, on a line of its own: a word is in the
    # title when it is found before the first line break.
    folded = "search_document__folded_text"
    positions = {f"at_{n}": StrIndex(folded, Value(word)) for n, word in enumerate(words)}
    matches = Q()
    in_title = Q()
    for name in positions:
        matches &= Q(**{f"{name}__gt": 0})
        in_title &= Q(**{f"{name}__lt": F("title_end")})
    candidates = (
        Question.objects.published()
        .annotate(title_end=StrIndex(folded, Value("\n")), **positions)
        .filter(matches)
    )
    if specialty is not None:
        candidates = candidates.filter(specialty=specialty)
    return list(
        candidates.annotate(
            in_title=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-in_title", "-id")
        .values_list("id", flat=True)[: CANDIDATE_LIMIT + 1]
    )


def _plain_fetcher(words: list[str]):
    """Fetches a page of questions with snippets cut and highlighted here: around the
    first of the (folded) words in the question text, or in the replies when the text
    has none of them."""

    def fetch(page_ids: list[int]) -> list[Question]:
        rows = _question_rows(page_ids).annotate(snippet_replies=F("search_document__reply_text"))
        found = {q.pk: q for q in rows}
        shown = [found[pk] for pk in page_ids if pk in found]
        for question in shown:
            text = question.body
            if _first_hit(fold_aligned(text), words) is None:
                text = question.snippet_replies or text
            question.title_html = _highlight(question.title, words)
            question.snippet_html = _highlight(_excerpt(text, around=words), words)
        return shown

    return fetch


def _first_hit(folded: str, words: list[str]) -> int | None:
    hits = [i for i in (folded.find(w) for w in words) if i >= 0]
    return min(hits) if hits else None


def _excerpt(text: str, around: list[str] | None = None, width: int = 220) -> str:
    """About `width` characters of `text`, around the first of the (folded) words if
    given; cut at words in English and at punctuation or characters in Chinese."""
    start = 0
    if around:
        first = _first_hit(fold_aligned(text), around)
        if first is not None:
            start = _excerpt_start(text, max(first - width // 3, 0))
    return _cut_piece(text, start, width)


def _excerpt_start(text: str, start: int) -> int:
    """Where an excerpt that should start near `start` starts: at the start of the word
    in English; in Chinese after punctuation up to 20 characters before, or else there."""
    if start <= 0:
        return 0
    if is_wide(text[start]) or is_wide(text[start - 1]):
        for i in range(start, max(start - 20, 0), -1):
            if text[i - 1] in SENTENCE_ENDS + CLAUSE_ENDS or text[i - 1].isspace():
                return i
        return safe_cut(text, start)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start


def _cut_piece(text: str, start: int, width: int) -> str:
    """text[start:], cut to about `width` characters, with "…" where it was cut."""
    rest = text[start:]
    lead = "" if not start else ("…" if is_wide(rest[:1] or " ") else "… ")
    if len(rest) <= width:
        return lead + rest
    end = safe_cut(rest, width)
    if end and (is_wide(rest[end - 1]) or is_wide(rest[end])):
        return lead + cut_end(rest, width) + "…"
    return lead + rest[:width].rsplit(" ", 1)[0] + " …"


def _escape(text: str) -> SafeString:
    return mark_safe(html.escape(text, quote=False))


def _highlight(text: str, words: list[str]) -> SafeString:
    """`text`, escaped, with every occurrence of the (folded) words wrapped in <mark>:
    matched in the folded text, so 头痛 marks 頭痛 and MRI marks ＭＲＩ."""
    if not words:
        return _escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out, last = [], 0
    for match in pattern.finditer(fold_aligned(text)):
        out.append(html.escape(text[last : match.start()], quote=False))
        out.append(f"<mark>{html.escape(text[match.start() : match.end()], quote=False)}</mark>")
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return mark_safe("".join(out))
