"""What the Q&A page reads, in hand-written SQL: one statement for the question and
everything shown with it (load_question), one more for attached articles.

This is the busiest page of the site. Compiling a queryset costs Django about a
millisecond per query on our servers, several times what PostgreSQL needs to answer it,
and each statement is a round trip. So the page's reads are written out here once, in SQL
that PostgreSQL and SQLite both run, and their rows become ordinary model instances
through `Model.from_db()` with each field's database converters, as the ORM would make
them. Each statement is the same text on every request, which lets psycopg prepare it
(settings: server-side binding), so PostgreSQL does not plan it again.

Everything else about these objects (managers, actions, the admin) goes through the ORM
as usual; the QuerySet methods these statements mirror are named on each, and
questions/tests/test_page_data.py compares them.

The statements read questions' tables (question, specialty, tags) and answers' (replies,
articles, FAQs) together, so they live in answers, the lowest layer allowed to know both.
It is one file (over 400 lines) on purpose: the fragments below are pieces of the same
statement, and a reader checking one join needs the others beside it.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC

from django.db import connections, models, router
from django.utils.dateparse import parse_datetime

from answers.models import FAQ, Agreement, Article, InformationRequest, Reply, TaggedFAQ
from forum.models import DoctorProfile, Specialty, localized_specialty_name
from forum.reversing import fast_reverse
from questions.models import FollowUp, Question, Tag, TaggedQuestion
from questions.search_text import cut_end
from questions.similar import (
    CANDIDATES_PER_TAG,
    SIMILAR_COUNT,
    rank_similar,
    store_similar,
)

RELATED_FAQ_COUNT = 5
EXCERPT_CHARS = 220
# What the page shows of a doctor (name, link, verified or not), of a tag and of a FAQ.
DOCTOR_FIELDS = ("id", "display_name", "slug", "status")
# What each reply shows of its doctor's credentials, besides DOCTOR_FIELDS (concrete-field
# order), and of the doctor's own specialties.
REPLY_DOCTOR_FIELDS = ("id", "display_name", "slug", "hospital", "status", "verified_at")
TAG_FIELDS = ("id", "name", "slug")
FAQ_FIELDS = ("id", "question", "language", "answer_html")  # in concrete-field order
SPECIALTY_FIELDS = ("id", "name", "name_zh_hant", "slug")  # in concrete-field order
# The columns of a Similar Q&A item (_item's arguments).
ITEM_COLUMNS = (
    "id",
    "slug",
    "title",
    "specialty",
    "body_start",
    "reply_start",
    "doctor",
    "doctor_slug",
    "doctor_status",
    "language",
    "specialty_zh_hant",
)
MAX_ID = 2**63 - 1  # the largest BigAutoField value


def load_question(pk: int) -> Question | None:
    """Question.objects.select_related("specialty").filter(pk=pk).first(), and in the
    same statement what the page shows with it:

    - `page_replies`: its published replies with their doctors, as
      question.replies.published().select_related("doctor").order_by("published_at", "id"),
      each doctor with REPLY_DOCTOR_FIELDS and `page_specialties` (its own specialties,
      SPECIALTY_FIELDS, by position and name);
    - `page_tags`: its tags, by name ignoring case;
    - `has_published_articles`: whether a published article is attached;
    - `page_similar`: the Similar Q&A items of its stored list (similar_items), or None
      when no list is stored (questions/similar.py ranks one then);
    - `page_faqs`: the Related FAQ (_related_faqs_json_sql), with FAQ_FIELDS loaded;
    - each reply's `page_agreements`: the verified doctors who agree with it
      (_agreements_json_sql), as dicts of id, name and profile URL;
    - each reply's `page_information`: its doctor's information requests on the question
      that the patient answered (_information_json_sql), as dicts of the doctor's text,
      its language and date, the answer and its date, oldest first;
    - each reply's `page_follow_ups`: the asker's published follow-ups on it, each with
      `page_answers`, the published answers to it of any doctor who replied, with that
      doctor's DOCTOR_FIELDS (_follow_ups_json_sql).

    Replies here are replies to the question; a doctor's answer to a follow-up shows
    under its follow-up only.

    The question and what hangs on it are one row, computed once (a materialized common
    table expression); the replies are joined to it, a row each.
    """
    if not 0 < pk <= MAX_ID:
        return None  # beyond any id (the ORM answers these without asking the database)
    connection = _connection()
    question_fields = _all_fields(Question)
    specialty_fields = SPECIALTY_FIELDS
    reply_fields = _all_fields(Reply)
    through = Article._meta.get_field("questions").remote_field.through._meta
    page_columns = len(question_fields) + len(specialty_fields) + 4
    sql = _statement(
        connection,
        "question",
        lambda: (
            f"WITH page({', '.join(f'c{n}' for n in range(page_columns))}) AS MATERIALIZED ("
            f"SELECT {_columns('q', Question, question_fields)}, "
            f"{_columns('s', Specialty, specialty_fields)}, "
            f"({_tags_json_sql()}), "
            f"EXISTS (SELECT 1 FROM {_table(Article)} a INNER JOIN {qn(through.db_table)} al "
            f"ON al.{through.get_field('article').column} = a.id "
            f"WHERE al.{through.get_field('question').column} = q.id AND a.status = %s), "
            f"({_similar_items_json_sql()}), "
            f"({_related_faqs_json_sql()}) "
            f"FROM {_table(Question)} q INNER JOIN {_table(Specialty)} s ON s.id = q.specialty_id "
            f"WHERE q.id = %s) "
            f"SELECT page.*, {_columns('r', Reply, reply_fields)}, "
            f"{_columns('d', DoctorProfile, REPLY_DOCTOR_FIELDS)}, "
            f"({_agreements_json_sql()}), ({_doctor_specialties_json_sql()}), "
            f"({_information_json_sql()}), ({_follow_ups_json_sql()}) FROM page "
            f"LEFT JOIN {_table(Reply)} r ON r.question_id = page.c0 AND r.status = %s "
            f"AND r.{qn('follow_up_id')} IS NULL "
            f"LEFT JOIN {_table(DoctorProfile)} d ON d.id = r.doctor_id "
            f"ORDER BY r.published_at, r.id"
        ),
    )
    params = [
        Article.Status.PUBLISHED,
        *_item_params([]),
        True,
        RELATED_FAQ_COUNT,
        pk,
        DoctorProfile.Status.VERIFIED,
        InformationRequest.Status.ANSWERED,
        Reply.Status.PUBLISHED,
        FollowUp.Status.PUBLISHED,
        Reply.Status.PUBLISHED,
    ]
    rows = _fetch(connection, sql, params)
    if not rows:
        return None
    row, split = rows[0], len(question_fields)
    question = _instance(connection, Question, question_fields, row[:split])
    tags_start = split + len(specialty_fields)
    question.specialty = _instance(connection, Specialty, specialty_fields, row[split:tags_start])
    tags_json, has_articles, similar_json, faqs_json = row[tags_start:page_columns]
    question.page_tags = [
        _instance(connection, Tag, TAG_FIELDS, tag) for tag in json.loads(tags_json or "[]")
    ]
    question.has_published_articles = bool(has_articles)
    question.page_similar = (
        None
        if question.similar_ids is None
        else _items(question.similar_ids, json.loads(similar_json or "[]"))
    )
    question.page_faqs = [
        _instance(connection, FAQ, FAQ_FIELDS, faq) for faq in json.loads(faqs_json or "[]")
    ]
    question.page_replies = []
    doctor_start = page_columns + len(reply_fields)
    agreements_at = doctor_start + len(REPLY_DOCTOR_FIELDS)
    specialties_at = agreements_at + 1
    information_at = specialties_at + 1
    follow_ups_at = information_at + 1
    for row in rows:
        if row[page_columns] is None:
            continue  # no reply: the question's row alone
        reply = _instance(connection, Reply, reply_fields, row[page_columns:doctor_start])
        doctor = _instance(
            connection, DoctorProfile, REPLY_DOCTOR_FIELDS, row[doctor_start:agreements_at]
        )
        doctor.page_specialties = [
            _instance(connection, Specialty, SPECIALTY_FIELDS, specialty)
            for specialty in json.loads(row[specialties_at] or "[]")
        ]
        reply.doctor = doctor
        reply.page_agreements = [
            {"id": doctor_id, "name": name, "url": fast_reverse("forum:doctor", slug=slug)}
            for doctor_id, name, slug in json.loads(row[agreements_at] or "[]")
        ]
        reply.page_information = [
            {
                "text": text,
                "language": language,
                "asked_at": _json_datetime(asked_at),
                "answer": answer,
                "answered_at": _json_datetime(answered_at),
            }
            for text, language, asked_at, answer, answered_at, _ in json.loads(
                row[information_at] or "[]"
            )
        ]
        reply.question = question
        reply.page_follow_ups = _follow_ups(question, reply, row[follow_ups_at])
        question.page_replies.append(reply)
    return question


# What the page shows of a follow-up and of a doctor's answer to it (FOLLOW_UP_COLUMNS),
# in the order of _follow_ups_json_sql's columns.
FOLLOW_UP_FIELDS = ("id", "body", "language", "published_at")
ANSWER_FIELDS = ("id", "body", "language", "published_at", "edited_at")
# Of the doctor who answered (any doctor who replied to the question, not only the reply's).
ANSWER_DOCTOR_FIELDS = DOCTOR_FIELDS


def _follow_ups_json_sql() -> str:
    """The published follow-ups on reply r, oldest first, each with its published
    answers and their doctors, as a JSON array of arrays (FOLLOW_UP_FIELDS, ANSWER_FIELDS
    then ANSWER_DOCTOR_FIELDS, the latter two null without an answer): a probe of the
    (reply, status) index of follow-ups, one of the follow-up index of replies per
    follow-up and one of the doctors' primary key per answer.

    Mirrors FollowUp.objects.published().filter(reply=r) with
    Reply.objects.published().filter(follow_up=...).select_related("doctor") for each."""
    follow_up = ", ".join(
        f"f.{qn(FollowUp._meta.get_field(name).column)} AS {qn('f_' + name)}"
        for name in FOLLOW_UP_FIELDS
    )
    answer = ", ".join(
        f"fa.{qn(Reply._meta.get_field(name).column)} AS {qn('a_' + name)}"
        for name in ANSWER_FIELDS
    )
    answer_doctor = ", ".join(
        f"fd.{qn(DoctorProfile._meta.get_field(name).column)} AS {qn('d_' + name)}"
        for name in ANSWER_DOCTOR_FIELDS
    )
    rows = (
        f"SELECT {follow_up}, {answer}, {answer_doctor} FROM {_table(FollowUp)} f "
        f"LEFT JOIN {_table(Reply)} fa ON fa.{qn('follow_up_id')} = f.id AND fa.status = %s "
        f"LEFT JOIN {_table(DoctorProfile)} fd ON fd.id = fa.doctor_id "
        f"WHERE f.{qn('reply_id')} = r.id AND f.status = %s"
    )
    columns = (
        *(f"f_{n}" for n in FOLLOW_UP_FIELDS),
        *(f"a_{n}" for n in ANSWER_FIELDS),
        *(f"d_{n}" for n in ANSWER_DOCTOR_FIELDS),
    )
    return _json_rows_sql(
        rows, columns, order=("x.f_published_at", "x.f_id", "x.a_published_at", "x.a_id")
    )


def _follow_ups(question: Question, reply: Reply, follow_ups_json) -> list:
    """FollowUp instances, each with `page_answers` (Reply instances with their doctors),
    from the rows of _follow_ups_json_sql."""
    found: dict[int, FollowUp] = {}
    width = len(FOLLOW_UP_FIELDS)
    answer_end = width + len(ANSWER_FIELDS)
    for values in json.loads(follow_ups_json or "[]"):
        pk, body, language, published_at = values[:width]
        follow_up = found.get(pk)
        if follow_up is None:
            follow_up = found[pk] = FollowUp(
                pk=pk,
                question_id=question.pk,
                reply_id=reply.pk,
                author_id=question.author_id,
                body=body,
                language=language,
                status=FollowUp.Status.PUBLISHED,
                published_at=_json_datetime(published_at),
            )
            follow_up.question = question
            follow_up.page_answers = []
        answer_id, answer_body, answer_language, answered_at, edited_at = values[width:answer_end]
        if answer_id is not None:
            doctor_id, name, slug, status = values[answer_end:]
            answer = Reply(
                pk=answer_id,
                question_id=question.pk,
                doctor_id=doctor_id,
                follow_up_id=pk,
                body=answer_body,
                language=answer_language,
                status=Reply.Status.PUBLISHED,
                published_at=_json_datetime(answered_at),
                edited_at=_json_datetime(edited_at),
            )
            answer.doctor = (
                reply.doctor
                if doctor_id == reply.doctor_id
                else DoctorProfile(id=doctor_id, display_name=name, slug=slug, status=status)
            )
            follow_up.page_answers.append(answer)
    return list(found.values())


def _json_datetime(value):
    """A datetime as a JSON row gives it: PostgreSQL's ISO text with its offset, or
    SQLite's stored text in UTC without one."""
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _agreements_json_sql() -> str:
    """The verified doctors who agree with reply r (id, display name, slug), in the order
    they agreed, as a JSON array of arrays: a probe of the (reply, doctor) unique index."""
    agreements = (
        f"SELECT {_columns('ad', DoctorProfile, ('id', 'display_name', 'slug'))}, "
        f"ag.{qn('created_at')} AS {qn('agreed_at')}, ag.{qn('id')} AS {qn('agreement_id')} "
        f"FROM {_table(Agreement)} ag "
        f"INNER JOIN {_table(DoctorProfile)} ad ON ad.id = ag.{qn('doctor_id')} "
        f"WHERE ag.{qn('reply_id')} = r.id AND ad.status = %s"
    )
    return _json_rows_sql(
        agreements, ("id", "display_name", "slug"), order=("x.agreed_at", "x.agreement_id")
    )


def _information_json_sql() -> str:
    """Reply r's doctor's answered information requests on the question (text, language,
    created_at, answer, answered_at, id), oldest first, as a JSON array of arrays: a probe
    of the (question, doctor, status) index."""
    columns = ("text", "language", "created_at", "answer", "answered_at", "id")
    requests = (
        f"SELECT {_columns('ir', InformationRequest, columns)} "
        f"FROM {_table(InformationRequest)} ir "
        f"WHERE ir.{qn('question_id')} = r.question_id AND ir.{qn('doctor_id')} = r.doctor_id "
        f"AND ir.status = %s"
    )
    return _json_rows_sql(requests, columns, order=("x.created_at", "x.id"))


def _tags_json_sql() -> str:
    """The question's tags (TAG_FIELDS) by name, as a JSON array of arrays: its links by
    the (question, tag) index, then one primary-key probe of the tags each."""
    link = TaggedQuestion._meta
    tag = _probe_join("INNER", Tag, "t", f"t.id = l.{link.get_field('tag').column}", limit=1)
    tags = (
        f"SELECT {_columns('t', Tag, TAG_FIELDS)} FROM {_table(TaggedQuestion)} l {tag} "
        f"WHERE l.{link.get_field('content_object').column} = q.id"
    )
    return _json_rows_sql(tags, TAG_FIELDS, order=("LOWER(x.name)", "x.id"))


def _doctor_specialties_json_sql() -> str:
    """The reply's doctor's own specialties (SPECIALTY_FIELDS) as a JSON array of arrays,
    as doctor.specialties.all() orders them (position, name)."""
    link = DoctorProfile._meta.get_field("specialties").remote_field.through._meta
    specialties = (
        f"SELECT {_columns('ds', Specialty, SPECIALTY_FIELDS)}, ds.position "
        f"FROM {qn(link.db_table)} dl INNER JOIN {_table(Specialty)} ds "
        f"ON ds.id = dl.{link.get_field('specialty').column} "
        f"WHERE dl.{link.get_field('doctorprofile').column} = d.id"
    )
    return _json_rows_sql(specialties, SPECIALTY_FIELDS, order=("x.position", "x.name"))


def _similar_items_json_sql() -> str:
    """The items of the question's stored Similar Q&A list (q.similar_ids), as a JSON array
    of arrays of ITEM_COLUMNS, in no particular order."""
    # The list holds at most SIMILAR_COUNT ids. Said in the statement (LIMIT), PostgreSQL
    # plans for that many rows, not the 100 it assumes of any set-returning function, and
    # so probes a few rows by index instead of hashing whole tables.
    if _connection().vendor == "postgresql":
        stored = (
            "SELECT e.value::bigint FROM jsonb_array_elements_text(q.similar_ids) AS e(value) "
            f"LIMIT {int(SIMILAR_COUNT)}"
        )
    else:
        stored = f"SELECT e.value FROM json_each(q.similar_ids) AS e LIMIT {int(SIMILAR_COUNT)}"
    return _json_rows_sql(_items_sql(stored), ITEM_COLUMNS)


def _related_faqs_json_sql() -> str:
    """The question's Related FAQ (FAQ_FIELDS) as a JSON array of arrays: published FAQs
    sharing the most topics with it (tags linked as one topic count once), then by their
    own order, at most RELATED_FAQ_COUNT: without linked tags,
    FAQ.objects.published().filter(tag_links__tag_id__in=<the question's tags>)
    .annotate(shared=Count("tag_links")).order_by("-shared", "position", "id")."""
    faq_link = TaggedFAQ._meta
    faq_link_faq = faq_link.get_field("content_object").column
    link = TaggedQuestion._meta
    topic = qn(Tag._meta.get_field("topic").column)
    # From the question's links (the (question, tag) index) to their tags (primary key),
    # to every tag of those tags' topics (primary key or topic index), to each of those
    # tags' FAQ links (the (tag, FAQ) index), topics counted per FAQ, joined to the FAQs.
    key = f"COALESCE(t.{topic}, t.id)"
    tags = _probe_join("INNER", Tag, "t", f"t.id = l.{link.get_field('tag').column}", limit=1)
    if _connection().vendor == "postgresql":  # two probes; an OR would read all tags
        topic_tags = (
            f"INNER JOIN LATERAL (SELECT {key} AS id UNION ALL SELECT g.id FROM {_table(Tag)} g "
            f"WHERE g.{topic} = {key}) g ON TRUE"
        )
    else:
        topic_tags = f"INNER JOIN {_table(Tag)} g ON g.id = {key} OR g.{topic} = {key}"
    faq_links = _probe_join(
        "INNER", faq_link.model, "fl", f"fl.{faq_link.get_field('tag').column} = g.id"
    )
    faqs = (
        f"SELECT {_columns('f', FAQ, FAQ_FIELDS)}, c.shared, f.position "
        f"FROM (SELECT fl.{faq_link_faq} AS id, COUNT(DISTINCT {key}) AS shared "
        f"FROM {_table(TaggedQuestion)} l {tags} {topic_tags} {faq_links} "
        f"WHERE l.{link.get_field('content_object').column} = q.id "
        f"GROUP BY fl.{faq_link_faq}) c "
        f"INNER JOIN {_table(FAQ)} f ON f.id = c.id "
        f"WHERE f.is_published = %s ORDER BY c.shared DESC, f.position, f.id LIMIT %s"
    )
    return _json_rows_sql(faqs, FAQ_FIELDS, order=("x.shared DESC", "x.position", "x.id"))


def _probe_join(
    kind: str,
    model: type[models.Model],
    alias: str,
    where: str,
    *,
    order: tuple[str, ...] = (),
    limit: int | None = None,
) -> str:
    """A `kind` ("INNER", "LEFT") join of the rows of model's table, named `alias`, that
    `where` picks for each row joined so far: with `order`, the first `limit` of them;
    without, `limit` is the most there can be (a unique key) and says so to PostgreSQL.

    On PostgreSQL it is a LATERAL subquery the planner cannot flatten into a hash join
    (it ends with LIMIT, or OFFSET 0): run once per outer row, a probe of the index that
    `where` names, whatever the planner estimates the outer rows to be. (Estimating 100
    rows where there were 4 once made it hash the whole replies table: issue 18.) SQLite
    joins by nested loops over indexes anyway: there it is a plain join, or with an
    order a join on the ids a subquery picks."""
    table = _table(model)
    ordering = f" ORDER BY {', '.join(order)}" if order else ""
    if _connection().vendor == "postgresql":
        bound = f" LIMIT {int(limit)}" if limit is not None else " OFFSET 0"
        return (
            f"{kind} JOIN LATERAL (SELECT {alias}.* FROM {table} {alias} "
            f"WHERE {where}{ordering}{bound}) {alias} ON TRUE"
        )
    if not order:
        return f"{kind} JOIN {table} {alias} ON {where}"
    return (
        f"{kind} JOIN {table} {alias} ON {alias}.id IN (SELECT {alias}.id FROM {table} {alias} "
        f"WHERE {where}{ordering} LIMIT {int(limit)})"
    )


def _json_rows_sql(select: str, columns: tuple[str, ...], *, order: tuple[str, ...] = ()) -> str:
    """A scalar subquery giving the rows of `select` (named x) as one JSON array of arrays
    of `columns` in `order`: text on both databases, for json.loads."""
    values = ", ".join(f"x.{qn(column)}" for column in columns)
    ordering = f" ORDER BY {', '.join(order)}" if order else ""
    if _connection().vendor == "postgresql":
        return f"SELECT json_agg(json_build_array({values}){ordering})::text FROM ({select}) x"
    # SQLite aggregates rows in the order they come in.
    return (
        f"SELECT json_group_array(json_array({values})) "
        f"FROM (SELECT * FROM ({select}) x{ordering}) x"
    )


def load_articles(question: Question) -> list:
    """question.articles.published().select_related("reviewer"), newest first; no query
    when load_question found none."""
    if not getattr(question, "has_published_articles", True):
        return []
    connection = _connection()
    article_fields = _all_fields(Article)
    reviewer_fields = DOCTOR_FIELDS
    through = Article._meta.get_field("questions").remote_field.through._meta
    sql = _statement(
        connection,
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
    for row in _fetch(connection, sql, [question.pk, Article.Status.PUBLISHED]):
        article = _instance(connection, Article, article_fields, row[:split])
        reviewer = row[split:]
        article.reviewer = (
            _instance(connection, DoctorProfile, reviewer_fields, reviewer) if reviewer[0] else None
        )
        articles.append(article)
    return articles


# Similar Q&A items (which questions are listed: questions/similar.py) --------------


def similar_questions(*, question: Question, tag_ids: list[int]) -> list[dict]:
    """The Similar Q&A items of a question's page: its stored list, read with the question
    (`page_similar`, load_question) or else in one query.

    A list not computed yet (or marked stale) is ranked now and stored. If an entry is no
    longer published and answered, the list is ranked again at once."""
    if not tag_ids:
        return []
    ids = question.similar_ids
    if ids is None:
        ids = store_similar(question=question, tag_ids=tag_ids)
        items = similar_items(ids)
    else:
        # The stored list's items, when the page read them with the question (page_data).
        items = getattr(question, "page_similar", None)
        if items is None:
            items = similar_items(ids)
    if len(items) < len(ids):
        ids = store_similar(question=question, tag_ids=tag_ids)
        items = similar_items(ids)
    return items


def compute_similar(
    *,
    question_id: int,
    specialty_id: int,
    tag_ids: list[int],
    limit: int = SIMILAR_COUNT,
    per_tag: int = CANDIDATES_PER_TAG,
) -> list[dict]:
    """The most similar questions, best first, with what the sidebar shows of each,
    ranked and read afresh (two queries) without storing anything."""
    ids = rank_similar(
        question_id=question_id,
        specialty_id=specialty_id,
        tag_ids=tag_ids,
        limit=limit,
        per_tag=per_tag,
    )
    return similar_items(ids)


def similar_items(ids: list[int]) -> list[dict]:
    """What the sidebar shows of these questions, in the given order, for those still
    published and answered: title, excerpts, first published reply's doctor (one query)."""
    if not ids:
        return []
    connection = _connection()
    placeholders = ", ".join(["%s"] * len(ids))
    sql = _statement(connection, f"items{len(ids)}", lambda: _items_sql(placeholders))
    return _items(ids, _fetch(connection, sql, _item_params(ids)))


def _items_sql(ids_sql: str) -> str:
    """What the sidebar shows (ITEM_COLUMNS) of the published, answered questions (not
    closed as duplicates) whose
    ids `ids_sql` gives (placeholders, or a subquery); its parameters are _item_params."""
    columns = dict(
        zip(
            ITEM_COLUMNS,
            [
                "iq.id",
                "iq.slug",
                "iq.title",
                "sp.name",
                "SUBSTR(iq.body, 1, %s)",
                "SUBSTR(fr.body, 1, %s)",
                "d.display_name",
                "d.slug",
                "d.status",
                "iq.language",
                "sp.name_zh_hant",
            ],
            strict=True,
        )
    )
    # Each question's first published reply: a probe of the (question, status) index.
    first_reply = _probe_join(
        "LEFT",
        Reply,
        "fr",
        f"fr.question_id = iq.id AND fr.status = %s AND fr.{qn('follow_up_id')} IS NULL",
        order=("fr.published_at", "fr.id"),
        limit=1,
    )
    return (
        f"SELECT {', '.join(f'{value} AS {qn(name)}' for name, value in columns.items())} "
        f"FROM {_table(Question)} iq "
        f"INNER JOIN {_table(Specialty)} sp ON sp.id = iq.specialty_id "
        f"{first_reply} {_probe_join('LEFT', DoctorProfile, 'd', 'd.id = fr.doctor_id', limit=1)} "
        f"WHERE iq.id IN ({ids_sql}) AND iq.status = %s AND iq.answered_at IS NOT NULL "
        f"AND iq.duplicate_of_id IS NULL"
    )


def _item_params(ids: list[int]) -> list:
    return [
        EXCERPT_CHARS + 40,
        EXCERPT_CHARS + 40,
        Reply.Status.PUBLISHED,
        *ids,
        Question.Status.PUBLISHED,
    ]


def _items(ids: list[int], rows) -> list[dict]:
    """Items from rows of ITEM_COLUMNS, in the order of `ids`."""
    by_id = {row[0]: row for row in rows}
    return [_item(*by_id[pk]) for pk in ids if pk in by_id]


def _item(
    pk,
    slug,
    title,
    specialty,
    body_start,
    reply_start,
    doctor,
    doctor_slug,
    status,
    language,
    specialty_zh_hant,
) -> dict:
    return {
        "id": pk,
        "url": fast_reverse("questions:detail", pk=pk, slug=slug),
        # The question's own title: questions sharing an article stay told apart.
        "title": title,
        "excerpt": excerpt(body_start),
        "language": language,
        "specialty": localized_specialty_name(specialty, specialty_zh_hant),
        "doctor_name": doctor or "",
        "doctor_url": (
            fast_reverse("forum:doctor", slug=doctor_slug)
            if status == DoctorProfile.Status.VERIFIED
            else ""
        ),
        "reply_excerpt": excerpt(reply_start or ""),
    }


def excerpt(text: str, length: int = EXCERPT_CHARS) -> str:
    """The start of a plain text on one line, ended with "…" if longer: cut at a word in
    English, and in Chinese after sentence punctuation (。！？) or else between two
    characters (questions.search_text.cut_end); never inside a character.

    (Django's Truncator does the same character by character; this is a tenth of the cost.)
    """
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return cut_end(text, length - 1).rstrip(" ,.;:!?，、；：。！？") + "…"


# Plumbing ---------------------------------------------------------------------------


def _connection():
    """The database the ORM would read questions from (a replica when one is set); a
    loader asks once (the router's answer can change from one request to the next)."""
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


def _statement(connection, name: str, build) -> str:
    """A statement's text, built once per database (it depends only on the backend)."""
    key = (connection.alias, name)
    sql = _statements.get(key)
    if sql is None:
        sql = _statements[key] = build()
    return sql


def _fetch(connection, sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _instance(
    connection, model: type[models.Model], names: tuple[str, ...], values
) -> models.Model:
    """A model instance from selected columns (in concrete-field order), converted by
    the same database converters the ORM applies."""
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
