"""Similar Q&A and Related FAQ for the Q&A page.

The rule: other published, answered questions that share at least one tag, ranked
by the number of shared tags, then same specialty first, then most recently
answered, then the higher (newer) id; the first four are shown.

Why not the obvious query: counting shared tags over every question that carries
any of the page's tags reads every link of every tag. With tags on a Zipf law a
common tag sits on a quarter of all questions, so one page would touch
hundreds of thousands of rows (taggit's ``similar_objects()`` even loads them into
Python). Instead, one SQL statement

1. takes, for each of the page's tags (at most MAX_TAGS), its CANDIDATES_PER_TAG
   newest links: a backward walk of the (tag, question) index that stops there
   (a ``LIMIT`` in a LATERAL join on PostgreSQL, in a ``UNION ALL`` on SQLite);
2. keeps the published, answered ones other than the page (one primary-key probe
   per candidate) and counts how many of the page's tags each really has (one
   probe of the unique (question, tag) index); and
3. ranks them by the rule above and keeps four.

Its cost is bounded by MAX_TAGS * CANDIDATES_PER_TAG candidates (two index probes
each), whatever the number of questions. While each of the page's tags is on at
most CANDIDATES_PER_TAG questions the candidate set is complete and the ranking
is exactly the rule. Beyond that it approximates: an older question that shares
only common tags can be missed, while questions sharing a rare (specific) tag
are always found, as rare tags' lists are complete. "Newest" is by id, which
grows with time (the link table has no answered_at); the ranking itself uses
answered_at. Pending or unanswered questions in a list use up places in it.

Precomputed, not cached: a question's ranked ids are stored on it (``similar_ids``)
so a page reads its four items with one primary-key query, whatever the data size.
A list is ranked when first needed (a question's first view) and again after it is
marked stale: ``mark_similar_stale`` runs (through ``questions/changes.py``) where a
question is answered, retagged or edited by staff, and marks its own list and those of
the newest questions sharing its tags. A question that leaves (hidden, rejected,
removed, deleted, no longer answered) needs no marking: reading a list checks every
entry is still published and answered, and ranks the list again when one is not.
Lists of older questions that share only a common tag can keep their order until
something marks them (README, "Similar Q&A at scale").

This module ranks and stores ids, from questions' own tables. What the sidebar shows of
each (its first reply's doctor and excerpt, an article's title) is read by
`similar_questions` in answers/page_data.py, which knows the replies and articles.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from questions.models import Question, TaggedQuestion

SIMILAR_COUNT = 4
CANDIDATES_PER_TAG = 50
MAX_TAGS = 10


def store_similar(*, question: Question, tag_ids: list[int]) -> list[int]:
    """Rank the question's Similar Q&A afresh and store the ids on it."""
    ids = rank_similar(question_id=question.pk, specialty_id=question.specialty_id, tag_ids=tag_ids)
    Question.objects.filter(pk=question.pk).update(similar_ids=ids)
    question.similar_ids = ids
    return ids


def mark_similar_stale(*, question_id: int, tag_ids: Iterable[int] = ()) -> int:
    """After a question's tags, specialty or answer changed: the lists that may now rank
    it differently are computed afresh on their next view. Those are its own list and
    the lists of the questions among the newest CANDIDATES_PER_TAG of each of its tags
    (`tag_ids` adds tags it had before a retag); an older question's list keeps its
    order until it is recomputed. Returns how many lists were marked."""
    tag_ids = set(tag_ids) | set(
        TaggedQuestion.objects.filter(content_object_id=question_id).values_list(
            "tag_id", flat=True
        )
    )
    ids = {question_id}
    for tag_id in sorted(tag_ids):
        ids.update(
            TaggedQuestion.objects.filter(tag_id=tag_id)
            .order_by("-content_object_id")
            .values_list("content_object_id", flat=True)[:CANDIDATES_PER_TAG]
        )
    return Question.objects.filter(pk__in=ids).update(similar_ids=None)


def mark_tag_lists_stale(tag_ids: Iterable[int]) -> int:
    """After tags were merged or deleted: every question carrying one of them shares a
    different set of tags with the others, so all their lists are ranked anew. Run it
    before a deletion (the links go with the tag). Returns how many lists were marked."""
    return Question.objects.filter(tag_links__tag_id__in=list(tag_ids)).update(similar_ids=None)


def rank_similar(
    *,
    question_id: int,
    specialty_id: int,
    tag_ids: list[int],
    limit: int = SIMILAR_COUNT,
    per_tag: int = CANDIDATES_PER_TAG,
) -> list[int]:
    """Ids of the most similar questions, best first, from one bounded SQL statement."""
    tag_ids = sorted(set(tag_ids))[:MAX_TAGS]
    if not tag_ids:
        return []
    sql, params = ranking_sql(
        question_id=question_id,
        specialty_id=specialty_id,
        tag_ids=tag_ids,
        limit=limit,
        per_tag=per_tag,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def ranking_sql(
    *, question_id: int, specialty_id: int, tag_ids: list[int], limit: int, per_tag: int
) -> tuple[str, list]:
    """The statement rank_similar runs, and its parameters."""
    qn = connection.ops.quote_name
    question_table = qn(Question._meta.db_table)
    link_table = qn(TaggedQuestion._meta.db_table)
    link_question = qn(TaggedQuestion._meta.get_field("content_object").column)
    link_tag = qn(TaggedQuestion._meta.get_field("tag").column)
    # 1. Each tag's newest links: a backward walk of the (tag, question) index, no heap.
    # PostgreSQL takes the tags as one array through a LATERAL join (one plan whatever
    # their number; planning it costs a quarter of a UNION of one branch per tag).
    if connection.vendor == "postgresql":
        newest_per_tag = (
            f"SELECT c.qid FROM unnest(%s) AS t(tag_id) CROSS JOIN LATERAL "
            f"(SELECT {link_question} AS qid FROM {link_table} WHERE {link_tag} = t.tag_id "
            f"ORDER BY {link_question} DESC LIMIT %s) AS c"
        )
        newest_params: list = [tag_ids, per_tag]
        tag_filter, tag_params = f"s.{link_tag} = ANY(%s)", [tag_ids]
    else:
        newest_per_tag = " UNION ALL ".join(
            f"SELECT qid FROM (SELECT {link_question} AS qid FROM {link_table} "
            f"WHERE {link_tag} = %s ORDER BY {link_question} DESC LIMIT %s) AS t{n}"
            for n in range(len(tag_ids))
        )
        newest_params = [param for tag_id in tag_ids for param in (tag_id, per_tag)]
        tag_filter = f"s.{link_tag} IN ({', '.join(['%s'] * len(tag_ids))})"
        tag_params = list(tag_ids)
    # 2 and 3. Eligible candidates, their real shared-tag count, the rule, the top few.
    sql = (
        f"SELECT q.id FROM {question_table} q "
        f"WHERE q.id IN ({newest_per_tag}) "
        f"AND q.status = %s AND q.answered_at IS NOT NULL AND q.id <> %s "
        f"ORDER BY (SELECT COUNT(*) FROM {link_table} s WHERE s.{link_question} = q.id "
        f"AND {tag_filter}) DESC, "
        f"CASE WHEN q.specialty_id = %s THEN 1 ELSE 0 END DESC, "
        f"q.answered_at DESC, q.id DESC "
        f"LIMIT %s"
    )
    params = [
        *newest_params,
        Question.Status.PUBLISHED,
        question_id,
        *tag_params,
        specialty_id,
        limit,
    ]
    return sql, params
