"""Similar Q&A and Related FAQ for the Q&A page.

The rule: other published, answered questions that share at least one tag, ranked
by the number of shared tags, then same specialty first, then most recently
answered, then the higher (newer) id; the first four are shown. Tags an editor linked
as one topic (`Tag.topic`: "headache" and "頭痛") count as one shared tag, so a Chinese
question lists English answers on the same topic and the reverse.

Why not the obvious query: counting shared tags over every question that carries
any of the page's tags reads every link of every tag. With tags on a Zipf law a
common tag sits on a quarter of all questions, so one page would touch
hundreds of thousands of rows (taggit's ``similar_objects()`` even loads them into
Python). Instead, one SQL statement

1. takes, for each of the page's tags (at most MAX_TAGS), its CANDIDATES_PER_TAG
   newest links: a backward walk of the (tag, question) index that stops there
   (a ``LIMIT`` in a LATERAL join on PostgreSQL, in a ``UNION ALL`` on SQLite);
2. keeps the published, answered ones other than the page and not closed as
   duplicates (one primary-key probe per candidate) and counts how many of the page's
   tags each really has (one probe of the unique (question, tag) index); and
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
each (its title, its first reply's doctor and excerpt) is read by
`similar_questions` in answers/page_data.py, which knows the replies and articles.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from questions.models import Question, Tag, TaggedQuestion

SIMILAR_COUNT = 4
CANDIDATES_PER_TAG = 50
MAX_TAGS = 10
# The most tags the page's topics may bring in (a topic links an English and a Chinese
# tag, or a few more): each is one walk of CANDIDATES_PER_TAG links.
MAX_TOPIC_TAGS = 3 * MAX_TAGS


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
    if tag_ids:  # and the tags of the same topics, whose lists count these as theirs
        tag_ids = set(Tag.objects.same_topic_as(tag_ids).values_list("pk", flat=True))
    ids = {question_id}
    for tag_id in sorted(tag_ids):
        ids.update(
            TaggedQuestion.objects.filter(tag_id=tag_id)
            .order_by("-content_object_id")
            .values_list("content_object_id", flat=True)[:CANDIDATES_PER_TAG]
        )
    return Question.objects.filter(pk__in=ids).update(similar_ids=None)


def mark_tag_lists_stale(tag_ids: Iterable[int]) -> int:
    """After tags were merged, deleted, linked or unlinked as one topic: every question
    carrying one of them, or a tag of the same topic, shares a different set of tags with
    the others, so all their lists are ranked anew. Run it before a deletion (the links go
    with the tag). Returns how many lists were marked."""
    tags = Tag.objects.same_topic_as(list(tag_ids)).values("pk")
    return Question.objects.filter(tag_links__tag_id__in=tags).update(similar_ids=None)


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
    tag_table = qn(Tag._meta.db_table)
    topic = qn(Tag._meta.get_field("topic").column)
    link_table = qn(TaggedQuestion._meta.db_table)
    link_question = qn(TaggedQuestion._meta.get_field("content_object").column)
    link_tag = qn(TaggedQuestion._meta.get_field("tag").column)
    postgresql = connection.vendor == "postgresql"
    # 0. The page's topics (a tag linked to another counts as that one), and every tag
    # of those topics with its topic, at most MAX_TOPIC_TAGS: English and Chinese tags of
    # one topic. On PostgreSQL each look-up is a LATERAL index probe (on a small tag table
    # the planner would rather read it whole for a list of ids).
    if postgresql:
        page_tags = (
            f"unnest(%s) AS p(id) CROSS JOIN LATERAL "
            f"(SELECT t.* FROM {tag_table} t WHERE t.id = p.id LIMIT 1) t"
        )
        page_tag_params: list = [tag_ids]
        linked_tags = (
            f"SELECT g.id, p.topic FROM page_topics p CROSS JOIN LATERAL (SELECT g.id "
            f"FROM {tag_table} g WHERE g.{topic} = p.topic ORDER BY g.id "
            f"LIMIT {int(MAX_TOPIC_TAGS)}) g"
        )
    else:
        page_tags = f"{tag_table} t WHERE t.id IN ({', '.join(['%s'] * len(tag_ids))})"
        page_tag_params = list(tag_ids)
        linked_tags = (
            f"SELECT g.id, g.{topic} FROM {tag_table} g "
            f"WHERE g.{topic} IN (SELECT topic FROM page_topics)"
        )
    topics = (
        f"WITH page_topics(topic) AS MATERIALIZED (SELECT DISTINCT COALESCE(t.{topic}, t.id) "
        f"FROM {page_tags}), "
        f"topic_tags(tag_id, topic) AS MATERIALIZED (SELECT u.tag_id, u.topic FROM ("
        f"SELECT topic AS tag_id, topic FROM page_topics UNION {linked_tags}) u "
        f"ORDER BY u.tag_id LIMIT %s) "
    )
    topic_params = [*page_tag_params, MAX_TOPIC_TAGS]
    # 1. Each tag's newest links: a backward walk of the (tag, question) index, no heap.
    # PostgreSQL walks it for each tag through a LATERAL join (one plan whatever their
    # number); SQLite through a correlated subquery per tag, which it runs as the same walk.
    if postgresql:
        newest_per_tag = (
            f"SELECT c.qid FROM topic_tags g CROSS JOIN LATERAL "
            f"(SELECT {link_question} AS qid FROM {link_table} WHERE {link_tag} = g.tag_id "
            f"ORDER BY {link_question} DESC LIMIT %s) AS c"
        )
    else:
        newest_per_tag = (
            f"SELECT c.{link_question} FROM topic_tags g INNER JOIN {link_table} c "
            f"ON c.id IN (SELECT n.id FROM {link_table} n WHERE n.{link_tag} = g.tag_id "
            f"ORDER BY n.{link_question} DESC LIMIT %s)"
        )
    # 2 and 3. Eligible candidates, how many of the page's topics each has (its links by
    # the (question, tag) index, matched against the few topic tags), the rule, the top few.
    sql = (
        f"{topics}"
        f"SELECT q.id FROM {question_table} q "
        f"WHERE q.id IN ({newest_per_tag}) "
        f"AND q.status = %s AND q.answered_at IS NOT NULL AND q.id <> %s "
        f"AND q.duplicate_of_id IS NULL "
        f"ORDER BY (SELECT COUNT(DISTINCT tt.topic) FROM {link_table} s "
        f"INNER JOIN topic_tags tt ON tt.tag_id = s.{link_tag} "
        f"WHERE s.{link_question} = q.id) DESC, "
        f"CASE WHEN q.specialty_id = %s THEN 1 ELSE 0 END DESC, "
        f"q.answered_at DESC, q.id DESC "
        f"LIMIT %s"
    )
    params = [
        *topic_params,
        per_tag,
        Question.Status.PUBLISHED,
        question_id,
        specialty_id,
        limit,
    ]
    return sql, params
