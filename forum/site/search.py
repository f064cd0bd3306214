"""Search over published questions: one function, `search_questions`, hides the backend.

On PostgreSQL it is full-text search over each question's `SearchDocument` vector
(title A, question text B, published replies C, published articles D; GIN index),
ranked with `ts_rank`, with highlighted snippets from `ts_headline` computed for the
shown page only. When nothing matches, words the site has never seen are replaced by the
closest known words (pg_trgm over the `SearchWord` vocabulary) and the search is tried
again: "headahce" finds what "headache" finds. On SQLite (local runs) it is a plain
`icontains` search with the same interface and no typo correction.

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
hold the reply and article text answers hands over.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import Case, IntegerField, Prefetch, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.safestring import SafeString, mark_safe

from forum.models import Specialty
from questions.models import Question
from questions.search_index import SEARCH_CONFIG

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

_TSQUERY = f"websearch_to_tsquery('{SEARCH_CONFIG}', %(q)s)"
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
_LEXEME = re.compile(r"'((?:[^']|'')*)'")

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
_SUGGESTABLE = re.compile(r"[^\W\d_]{3,40}")


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
    params = {"q": query, "timeout": str(STATEMENT_TIMEOUT_MS), "limit": CANDIDATE_LIMIT + 1}
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
    the least common required lexeme. Infinite (so: not rare) for OR and NOT queries and
    when there are no statistics yet."""
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
    shares = [
        stats["shares"].get(lexeme.replace("''", "'"), unlisted)
        for lexeme in _LEXEME.findall(tsquery)
    ]
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
            question.snippet_html = _marks_to_html(question.body_headline)
        return shown

    return fetch


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
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(results.query)))
    words = words[:MAX_SIMPLE_WORDS]
    if not words:
        results.problem = NO_TERMS
        return results
    matches = Q()
    in_title = Q()
    for word in words:
        matches &= (
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(search_document__reply_text__icontains=word)
            | Q(search_document__article_text__icontains=word)
        )
        in_title &= Q(title__icontains=word)
    candidates = Question.objects.published().filter(matches)
    if specialty is not None:
        candidates = candidates.filter(specialty=specialty)
    ids = list(
        candidates.annotate(
            in_title=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-in_title", "-id")
        .values_list("id", flat=True)[: CANDIDATE_LIMIT + 1]
    )
    results.capped = len(ids) > CANDIDATE_LIMIT
    results.ids = ids[:CANDIDATE_LIMIT]

    def fetch(page_ids: list[int]) -> list[Question]:
        found = {q.pk: q for q in _question_rows(page_ids)}
        shown = [found[pk] for pk in page_ids if pk in found]
        for question in shown:
            question.title_html = _highlight(question.title, words)
            question.snippet_html = _highlight(_excerpt(question.body, around=words), words)
        return shown

    results.fetch = fetch
    return results


def _excerpt(text: str, around: list[str] | None = None, width: int = 220) -> str:
    """About `width` characters of `text`, around the first of the words if given."""
    start = 0
    if around:
        lowered = text.lower()
        hits = [i for i in (lowered.find(w) for w in around) if i >= 0]
        if hits:
            start = max(min(hits) - width // 3, 0)
            while start > 0 and not text[start - 1].isspace():
                start -= 1
    piece = text[start : start + width]
    if start + width < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + piece


def _escape(text: str) -> SafeString:
    return mark_safe(html.escape(text, quote=False))


def _highlight(text: str, words: list[str]) -> SafeString:
    """`text`, escaped, with every occurrence of the words wrapped in <mark>."""
    if not words:
        return _escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()], quote=False))
        out.append(f"<mark>{html.escape(match.group(0), quote=False)}</mark>")
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return mark_safe("".join(out))
