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

The rendered items are cached under a key that embeds the page-cache key
(questions/cache.py): every ``invalidate_question_page`` (this question changed,
e.g. its tags) and every ``invalidate_all_pages`` (a question was published,
answered, removed or retagged, so it may enter or leave other lists) also makes
the similar list be computed afresh. See README, "Similar Q&A at scale".
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection, models
from django.db.models import Count
from django.urls import reverse

from forum.models import DoctorProfile
from questions.cache import page_cache_key
from questions.models import Question, Tag, TaggedQuestion

SIMILAR_COUNT = 4
CANDIDATES_PER_TAG = 50
MAX_TAGS = 10
RELATED_FAQ_COUNT = 5
CACHE_SECONDS = 60 * 60
EXCERPT_CHARS = 220


def reply_model() -> type[models.Model]:
    """Reply, reached through Question's reverse relation (questions does not import answers)."""
    return Question._meta.get_field("replies").related_model


def article_model() -> type[models.Model]:
    """Article, reached through Question's reverse relation."""
    return Question._meta.get_field("articles").related_model


def faq_model() -> type[models.Model]:
    """FAQ, reached through Tag's reverse relation to the FAQ tag links."""
    link = Tag._meta.get_field("faq_links").related_model
    return link._meta.get_field("content_object").related_model


def similar_cache_key(question_id: int) -> str:
    return f"qa:similar:{page_cache_key(question_id)}"


def similar_questions(*, question: Question, tag_ids: list[int]) -> list[dict]:
    """The Similar Q&A items of a question's page, from the cache when it is fresh."""
    key = similar_cache_key(question.pk)
    items = cache.get(key)
    if items is None:
        items = compute_similar(
            question_id=question.pk, specialty_id=question.specialty_id, tag_ids=tag_ids
        )
        cache.set(key, items, CACHE_SECONDS)
    return items


def compute_similar(
    *,
    question_id: int,
    specialty_id: int,
    tag_ids: list[int],
    limit: int = SIMILAR_COUNT,
    per_tag: int = CANDIDATES_PER_TAG,
) -> list[dict]:
    """The most similar questions, best first, with what the sidebar shows of each:
    ranked and fetched afresh in one bounded SQL statement."""
    tag_ids = sorted(set(tag_ids))[:MAX_TAGS]
    if not tag_ids:
        return []
    sql, params = similar_sql(
        question_id=question_id,
        specialty_id=specialty_id,
        tag_ids=tag_ids,
        limit=limit,
        per_tag=per_tag,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_item(*row) for row in rows]


def similar_sql(
    *, question_id: int, specialty_id: int, tag_ids: list[int], limit: int, per_tag: int
) -> tuple[str, list]:
    """The statement compute_similar runs, and its parameters."""
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
    ranking = (
        f"SELECT q.id, q.answered_at, "
        f"(SELECT COUNT(*) FROM {link_table} s WHERE s.{link_question} = q.id "
        f"AND {tag_filter}) AS shared, "
        f"CASE WHEN q.specialty_id = %s THEN 1 ELSE 0 END AS same_specialty "
        f"FROM {question_table} q "
        f"WHERE q.id IN ({newest_per_tag}) "
        f"AND q.status = %s AND q.answered_at IS NOT NULL AND q.id <> %s "
        f"ORDER BY shared DESC, same_specialty DESC, q.answered_at DESC, q.id DESC "
        f"LIMIT %s"
    )
    ranking_params = [
        *tag_params,
        specialty_id,
        *newest_params,
        Question.Status.PUBLISHED,
        question_id,
        limit,
    ]

    # What is shown of the few winners: title, excerpts, first published reply's doctor.
    Reply, Article = reply_model(), article_model()
    article_link = Question._meta.get_field("articles").through
    tables = {
        "question": question_table,
        "specialty": qn(Question._meta.get_field("specialty").related_model._meta.db_table),
        "reply": qn(Reply._meta.db_table),
        "doctor": qn(Reply._meta.get_field("doctor").related_model._meta.db_table),
        "article": qn(Article._meta.db_table),
        "article_link": qn(article_link._meta.db_table),
        "link_article": qn(article_link._meta.get_field("article").column),
        "link_question": qn(article_link._meta.get_field("question").column),
    }
    sql = (
        "SELECT top.id, q.slug, q.title, sp.name, SUBSTR(q.body, 1, %s), "
        "(SELECT a.title FROM {article} a INNER JOIN {article_link} al "
        "ON al.{link_article} = a.id WHERE al.{link_question} = top.id AND a.status = %s "
        "ORDER BY a.published_at DESC, a.id DESC LIMIT 1), "
        "SUBSTR(fr.body, 1, %s), d.display_name, d.slug, d.status "
        "FROM ({ranking}) top "
        "INNER JOIN {question} q ON q.id = top.id "
        "INNER JOIN {specialty} sp ON sp.id = q.specialty_id "
        "LEFT JOIN {reply} fr ON fr.id = (SELECT r.id FROM {reply} r "
        "WHERE r.question_id = top.id AND r.status = %s ORDER BY r.published_at, r.id LIMIT 1) "
        "LEFT JOIN {doctor} d ON d.id = fr.doctor_id "
        "ORDER BY top.shared DESC, top.same_specialty DESC, top.answered_at DESC, top.id DESC"
    ).format(ranking=ranking, **tables)
    params = [
        EXCERPT_CHARS + 40,
        Article.Status.PUBLISHED,
        EXCERPT_CHARS + 40,
        *ranking_params,
        Reply.Status.PUBLISHED,
    ]
    return sql, params


def _item(
    pk, slug, title, specialty, body_start, article_title, reply_start, doctor, doctor_slug, status
) -> dict:
    return {
        "id": pk,
        "url": reverse("questions:detail", kwargs={"pk": pk, "slug": slug}),
        "title": article_title or title,
        "excerpt": excerpt(body_start),
        "specialty": specialty,
        "doctor_name": doctor or "",
        "doctor_url": (
            reverse("forum:doctor", kwargs={"slug": doctor_slug})
            if status == DoctorProfile.Status.VERIFIED
            else ""
        ),
        "reply_excerpt": excerpt(reply_start or ""),
    }


def excerpt(text: str, length: int = EXCERPT_CHARS) -> str:
    """The start of a plain text on one line, cut at a word and ended with "…" if longer.

    (Django's Truncator does the same character by character; this is a tenth of the cost.)
    """
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if text[length - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:!?") + "…"


def related_faqs(*, tag_ids: list[int], limit: int = RELATED_FAQ_COUNT) -> list:
    """Published FAQs sharing the most tags with the page, then by their own order."""
    if not tag_ids:
        return []
    FAQ = faq_model()
    return list(
        FAQ.objects.published()
        .filter(tag_links__tag_id__in=tag_ids)
        .annotate(shared=Count("tag_links"))
        .order_by("-shared", "position", "id")[:limit]
    )
