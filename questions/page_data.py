"""What the Q&A page reads, in short hand-written SQL statements.

This is the busiest page of the site, and compiling a queryset costs Django about
a millisecond per query on our servers, several times what PostgreSQL needs to
answer it. So the page's reads are written out here once, in SQL that PostgreSQL
and SQLite both run, and their rows become ordinary model instances through
`Model.from_db()` with each field's database converters, as the ORM would make
them. Each statement is the same text on every request, which lets psycopg
prepare it (settings: server-side binding), so PostgreSQL does not plan it again.

Everything else about these objects (managers, actions, the admin) goes through
the ORM as usual; the QuerySet methods these statements mirror are named on each.
"""

from __future__ import annotations

import functools
import json

from django.db import connections, models, router

from forum.models import DoctorProfile, Specialty
from questions.models import Question, Tag, TaggedQuestion

RELATED_FAQ_COUNT = 5
# What the page shows of a doctor (name, link, verified or not) and of a tag.
DOCTOR_FIELDS = ("id", "display_name", "slug", "status")
TAG_FIELDS = ("id", "name", "slug")
MAX_ID = 2**63 - 1  # the largest BigAutoField value


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


def load_question(pk: int) -> Question | None:
    """Question.objects.select_related("specialty").filter(pk=pk).first(), with its tags
    (`page_tags`, by name ignoring case) and whether a published article is attached
    (`has_published_articles`) in the same statement."""
    if not 0 < pk <= MAX_ID:
        return None  # beyond any id (the ORM answers these without asking the database)
    question_fields = _all_fields(Question)
    specialty_fields = ("id", "name", "slug")
    Article = article_model()
    through = Article._meta.get_field("questions").remote_field.through._meta
    sql = _statement(
        "question",
        lambda: (
            f"SELECT {_columns('q', Question, question_fields)}, "
            f"{_columns('s', Specialty, specialty_fields)}, "
            f"({_tags_json_sql()}), "
            f"EXISTS (SELECT 1 FROM {_table(Article)} a INNER JOIN {qn(through.db_table)} al "
            f"ON al.{through.get_field('article').column} = a.id "
            f"WHERE al.{through.get_field('question').column} = q.id AND a.status = %s) "
            f"FROM {_table(Question)} q INNER JOIN {_table(Specialty)} s ON s.id = q.specialty_id "
            f"WHERE q.id = %s"
        ),
    )
    rows = _fetch(sql, [Article.Status.PUBLISHED, pk])
    if not rows:
        return None
    row, split = rows[0], len(question_fields)
    question = _instance(Question, question_fields, row[:split])
    question.specialty = _instance(Specialty, specialty_fields, row[split : split + 3])
    tags_json, has_articles = row[split + 3 :]
    question.page_tags = [_instance(Tag, TAG_FIELDS, tag) for tag in json.loads(tags_json or "[]")]
    question.has_published_articles = bool(has_articles)
    return question


def _tags_json_sql() -> str:
    """The question's tags (id, name, slug) by name, as a JSON array of arrays."""
    link = TaggedQuestion._meta
    tags = (
        f"SELECT {_columns('t', Tag, TAG_FIELDS)} FROM {_table(Tag)} t "
        f"INNER JOIN {_table(TaggedQuestion)} l ON l.{link.get_field('tag').column} = t.id "
        f"WHERE l.{link.get_field('content_object').column} = q.id"
    )
    if _connection().vendor == "postgresql":
        return (
            f"SELECT json_agg(json_build_array(x.id, x.name, x.slug) "
            f"ORDER BY LOWER(x.name), x.id)::text FROM ({tags}) x"
        )
    return (
        f"SELECT json_group_array(json_array(x.id, x.name, x.slug)) "
        f"FROM ({tags} ORDER BY LOWER(t.name), t.id) x"
    )


def load_replies(question: Question) -> list:
    """question.replies.published().select_related("doctor").order_by("published_at", "id")."""
    Reply = reply_model()
    reply_fields = _all_fields(Reply)
    doctor_fields = DOCTOR_FIELDS
    sql = _statement(
        "replies",
        lambda: (
            f"SELECT {_columns('r', Reply, reply_fields)}, "
            f"{_columns('d', DoctorProfile, doctor_fields)} "
            f"FROM {_table(Reply)} r INNER JOIN {_table(DoctorProfile)} d ON d.id = r.doctor_id "
            f"WHERE r.question_id = %s AND r.status = %s ORDER BY r.published_at, r.id"
        ),
    )
    replies, split = [], len(reply_fields)
    for row in _fetch(sql, [question.pk, Reply.Status.PUBLISHED]):
        reply = _instance(Reply, reply_fields, row[:split])
        reply.doctor = _instance(DoctorProfile, doctor_fields, row[split:])
        reply.question = question
        replies.append(reply)
    return replies


def load_articles(question: Question) -> list:
    """question.articles.published().select_related("reviewer"), newest first; no query
    when load_question found none."""
    if not getattr(question, "has_published_articles", True):
        return []
    Article = article_model()
    article_fields = _all_fields(Article)
    reviewer_fields = DOCTOR_FIELDS
    through = Article._meta.get_field("questions").remote_field.through._meta
    sql = _statement(
        "articles",
        lambda: (
            f"SELECT {_columns('a', Article, article_fields)}, "
            f"{_columns('d', DoctorProfile, reviewer_fields)} "
            f"FROM {_table(Article)} a "
            f"INNER JOIN {qn(through.db_table)} l "
            f"ON l.{through.get_field('article').column} = a.id "
            f"LEFT JOIN {_table(DoctorProfile)} d ON d.id = a.reviewer_id "
            f"WHERE l.{through.get_field('question').column} = %s AND a.status = %s "
            f"ORDER BY a.published_at DESC, a.id DESC"
        ),
    )
    articles, split = [], len(article_fields)
    for row in _fetch(sql, [question.pk, Article.Status.PUBLISHED]):
        article = _instance(Article, article_fields, row[:split])
        reviewer = row[split:]
        article.reviewer = (
            _instance(DoctorProfile, reviewer_fields, reviewer) if reviewer[0] else None
        )
        articles.append(article)
    return articles


def related_faqs(*, tag_ids: list[int], limit: int = RELATED_FAQ_COUNT) -> list:
    """Published FAQs sharing the most tags with the page, then by their own order:
    FAQ.objects.published().filter(tag_links__tag_id__in=tag_ids)
    .annotate(shared=Count("tag_links")).order_by("-shared", "position", "id")[:limit]."""
    if not tag_ids:
        return []
    FAQ = faq_model()
    fields = _all_fields(FAQ)
    link = Tag._meta.get_field("faq_links").related_model._meta
    tag_ids = sorted(set(tag_ids))
    sql = _statement(
        f"faqs{len(tag_ids)}",
        lambda: (
            f"SELECT {_columns('f', FAQ, fields)} FROM {_table(FAQ)} f INNER JOIN "
            f"(SELECT {link.get_field('content_object').column} AS id, COUNT(*) AS shared "
            f"FROM {qn(link.db_table)} WHERE {link.get_field('tag').column} IN "
            f"({', '.join(['%s'] * len(tag_ids))}) "
            f"GROUP BY {link.get_field('content_object').column}) c ON c.id = f.id "
            f"WHERE f.is_published = %s ORDER BY c.shared DESC, f.position, f.id LIMIT %s"
        ),
    )
    return [_instance(FAQ, fields, row) for row in _fetch(sql, [*tag_ids, True, limit])]


# Plumbing ---------------------------------------------------------------------------


def _connection():
    """The database the ORM would read questions from (a replica when one is set)."""
    return connections[router.db_for_read(Question)]


def qn(name: str) -> str:
    return _connection().ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return qn(model._meta.db_table)


@functools.cache
def _all_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _columns(alias: str, model: type[models.Model], names: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{qn(model._meta.get_field(n).column)}" for n in names)


_statements: dict[tuple[str, str], str] = {}


def _statement(name: str, build) -> str:
    """A statement's text, built once per database (it depends only on the backend)."""
    key = (_connection().alias, name)
    sql = _statements.get(key)
    if sql is None:
        sql = _statements[key] = build()
    return sql


def _fetch(sql: str, params: list) -> list[tuple]:
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _instance(model: type[models.Model], names: tuple[str, ...], values) -> models.Model:
    """A model instance from selected columns (in concrete-field order), converted by
    the same database converters the ORM applies."""
    connection = _connection()
    values = list(values)
    for index, converters, expression in _converters(connection.alias, model, names):
        value = values[index]
        for converter in converters:
            value = converter(value, expression, connection)
        values[index] = value
    return model.from_db(connection.alias, list(names), values)


@functools.cache
def _converters(alias: str, model: type[models.Model], names: tuple[str, ...]) -> list:
    connection = connections[alias]
    found = []
    for index, name in enumerate(names):
        field = model._meta.get_field(name)
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + field.get_db_converters(
            connection
        )
        if converters:
            found.append((index, converters, expression))
    return found
