"""Keeps each published question's `SearchDocument` current. Search reads nothing else.

`refresh_question_document(question_id)` runs inside the action's transaction, through
questions/changes.py (actions never call it directly), whenever what search should find
about a question changes:

- a question is published, rejected, removed or edited (title, text, specialty);
- a reply to it is published, edited, hidden or restored;
- an article attached to it is published or unpublished, edited, attached or detached
  (call it for every question the article is or was attached to).

It reads the question, takes the text of its published replies and published articles
from answers (the reader answers/search_texts.py installs: this module reads no other
app's tables), and rewrites the document (or deletes it when the question is not
published), so calling it too often is harmless and calling it twice is the same as
once. Bulk loads (`generate_dataset`, imports, restores) run
`python manage.py rebuild_search_index` afterwards instead.

The vector is built from the texts as `questions.search_text.index_text` gives them
(folded: NFKC, Simplified characters, lower case; Chinese as character bigrams), so that
search finds Chinese words inside sentences; English goes through the `english`
configuration as before. On other databases the document keeps `folded_text` instead,
the folded title and texts that the plain search there looks in.

On PostgreSQL it also adds the document's words to `SearchWord`, the vocabulary typo
suggestions come from (words in Latin and other spaced scripts; not Chinese). A word
stays there when its question goes away (until the next rebuild); search only ever
shows a suggestion together with published results for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from questions.models import Question, SearchDocument, SearchWord
from questions.search_text import HAN, fold, index_text

SEARCH_CONFIG = "english"

# Title A, question text B, published replies C, published articles D. The vector is
# written together with the row (no second UPDATE), so a rebuild leaves no dead rows.
# The four *_terms arrays hold index_text() of each text, or NULL where that is the
# text itself (plain ASCII), which then is not sent twice.
_UPSERT_SQL = f"""
INSERT INTO questions_searchdocument
    (question_id, specialty_id, reply_text, article_text, folded_text, vector, updated_at)
SELECT q.id, q.specialty_id, doc.reply_text, doc.article_text, '',
    setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(doc.title_terms, q.title)), 'A')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(doc.body_terms, q.body)), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(doc.reply_terms, doc.reply_text)), 'C')
    || setweight(
        to_tsvector('{SEARCH_CONFIG}', coalesce(doc.article_terms, doc.article_text)), 'D'
    ),
    now()
FROM unnest(
    %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]
) AS doc(question_id, reply_text, article_text, title_terms, body_terms, reply_terms,
    article_terms)
JOIN questions_question AS q ON q.id = doc.question_id
ON CONFLICT (question_id) DO UPDATE SET
    specialty_id = EXCLUDED.specialty_id,
    reply_text = EXCLUDED.reply_text,
    article_text = EXCLUDED.article_text,
    folded_text = EXCLUDED.folded_text,
    vector = EXCLUDED.vector,
    updated_at = EXCLUDED.updated_at
"""


# Plain lower-case words (the 'simple' configuration does not stem) of 3 to 40 letters,
# none of them Han characters (a run of those is a phrase or a sentence, not a word).
_WORDS_SQL = f"""
INSERT INTO questions_searchword (word, documents)
SELECT word, count(*) FROM (
    SELECT DISTINCT d.question_id, w.word
    FROM questions_searchdocument AS d
    JOIN questions_question AS q ON q.id = d.question_id
    CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple',
        q.title || ' ' || q.body || ' ' || d.reply_text || ' ' || d.article_text))) AS w(word)
    WHERE d.question_id BETWEEN %s AND %s AND w.word ~ '^[[:alpha:]]{{{{3,40}}}}$'
        AND w.word !~ '[{HAN}]'
) AS found
GROUP BY word
ON CONFLICT (word) DO UPDATE SET documents = questions_searchword.documents + {{increment}}
"""


@transaction.atomic
def refresh_question_document(question_id: int) -> SearchDocument | None:
    """Rewrite the search document of one question from its current published content."""
    question = (
        Question.objects.filter(pk=question_id)
        .only("id", "status", "specialty_id", "title", "body", "duplicate_of_id")
        .first()
    )
    # A duplicate is left to its original, which search finds instead.
    if question is None or not question.is_published or question.is_duplicate:
        SearchDocument.objects.filter(question_id=question_id).delete()
        return None
    _write_documents(
        [(question.pk, question.specialty_id, question.title, question.body)],
        _published_texts([question_id]),
    )
    # Counts are only exact after a rebuild: refreshing a question twice must not count
    # its words twice, so a refresh only adds words it has not seen.
    _add_words(question_id, question_id, increment="0")
    return SearchDocument.objects.get(pk=question_id)


def rebuild_search_documents(
    *, batch_size: int = 5000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rewrite every search document, in batches of question ids; returns how many exist.

    Each batch is its own transaction, so a long rebuild never holds locks for long and
    can be interrupted and run again.
    """
    last_id = Question.objects.order_by("-id").values_list("id", flat=True).first() or 0
    SearchWord.objects.all().delete()
    for low in range(1, last_id + 1, batch_size):
        high = min(low + batch_size - 1, last_id)
        _rebuild_range(low, high)
        if progress:
            progress(high, last_id)
    if connection.vendor == "postgresql":
        # Fresh statistics: search picks its way through the index by them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE questions_searchdocument, questions_searchword")
    return SearchDocument.objects.count()


@transaction.atomic
def _rebuild_range(low: int, high: int) -> None:
    published = list(
        Question.objects.published()
        .not_duplicate()
        .filter(pk__gte=low, pk__lte=high)
        .values_list("id", "specialty_id", "title", "body")
    )
    SearchDocument.objects.filter(question_id__gte=low, question_id__lte=high).exclude(
        question_id__in=[row[0] for row in published]
    ).delete()
    if published:
        _write_documents(published, _published_texts(range_=(low, high)))
        _add_words(low, high, increment="EXCLUDED.documents")


def _add_words(low: int, high: int, *, increment: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_WORDS_SQL.format(increment=increment), [low, high])


def _terms(text: str) -> str | None:
    """index_text(text), or None when that is the text itself."""
    terms = index_text(text)
    return None if terms == text else terms


def _write_documents(questions: list[tuple[int, int, str, str]], texts: DocumentTexts) -> None:
    """Upsert the documents of (question id, specialty id, title, text) rows with the
    given reply and article texts."""
    replies = [texts.replies.get(row[0], "") for row in questions]
    articles = [texts.articles.get(row[0], "") for row in questions]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _UPSERT_SQL,
                [
                    [row[0] for row in questions],
                    replies,
                    articles,
                    [_terms(row[2]) for row in questions],
                    [_terms(row[3]) for row in questions],
                    [_terms(text) for text in replies],
                    [_terms(text) for text in articles],
                ],
            )
        return
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                question_id=pk,
                specialty_id=specialty_id,
                reply_text=reply_text,
                article_text=article_text,
                folded_text=fold("\n".join((title, body, reply_text, article_text))),
            )
            for (pk, specialty_id, title, body), reply_text, article_text in zip(
                questions, replies, articles, strict=True
            )
        ],
        update_conflicts=True,
        unique_fields=["question"],
        update_fields=["specialty", "reply_text", "article_text", "folded_text", "updated_at"],
    )


class DocumentTexts:
    """The text of what is shown with each question, by question id."""

    def __init__(self) -> None:
        self.replies: dict[int, str] = {}
        self.articles: dict[int, str] = {}


# Replies and articles are answers' tables: answers reads them and installs its reader
# here at start-up (answers/search_texts.py, AnswersConfig.ready), so this module reads
# questions' tables only.
TextsReader = Callable[..., DocumentTexts]
_texts_reader: TextsReader | None = None


def use_texts_reader(reader: TextsReader) -> None:
    """Where the published reply and article text of questions comes from: `reader(ids,
    range_=(low, high))` gives a DocumentTexts for those question ids or that id range."""
    global _texts_reader
    _texts_reader = reader


def _published_texts(
    ids: Iterable[int] | None = None, *, range_: tuple[int, int] | None = None
) -> DocumentTexts:
    """Published reply and article text per question id, for the given ids or id range."""
    if _texts_reader is None:
        raise ImproperlyConfigured(
            "No reader of reply and article text for search documents: answers installs "
            "it (AnswersConfig.ready); is answers in INSTALLED_APPS?"
        )
    return _texts_reader(ids, range_=range_)
