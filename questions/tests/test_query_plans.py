"""The Q&A page's statements probe rows by index, in every plan PostgreSQL may choose.

A cold page reads a handful of rows. A plan that scans a whole table for them costs
nothing to notice on a test database and milliseconds on a site of ten thousand
questions (issue 18: the stored Similar Q&A list was estimated at 100 ids, so the
planner hashed the whole replies table for four). So on a small dataset and on a skewed
one, generated the way the benchmarks generate theirs and analyzed, these tests take
every statement a page sends, as it sends it (captured under the test client), and have
PostgreSQL plan it both ways a prepared statement can be planned: with the page's
parameter values (force_custom_plan) and once for all values (force_generic_plan, what
psycopg's prepared statements may settle on). A sequential scan of the questions,
replies, tags or tag links fails the test, with the plan's outline.
"""

from __future__ import annotations

import re
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql as pg

from answers.models import FAQ, Reply
from answers.tests.factories import ArticleFactory
from forum.models import DoctorProfile
from forum.site.management.commands.generate_dataset import copy_rows, reserve_ids
from questions.models import Question, Tag, TaggedQuestion
from questions.similar import store_similar

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are PostgreSQL's (SQLite plans every statement as nested loops "
        "over its indexes; the same statements' results are tested on both databases)",
    ),
]

FAQ_LINKS = Tag._meta.get_field("faq_links").related_model
# The tables a page must never read whole: they grow with the site.
GUARDED = {model._meta.db_table for model in (Question, Reply, Tag, TaggedQuestion, FAQ_LINKS)}
PLAN_MODES = ("force_custom_plan", "force_generic_plan")


def test_page_statements_probe_by_index_on_a_small_site(client):
    """1,500 questions on 500 tags (Zipf), one or two replies each."""
    pages = build_site(questions=1500)
    assert_no_guarded_seq_scans(client, pages)


def test_page_statements_probe_by_index_on_a_skewed_site(client):
    """The same with a few questions holding most of the replies, which the page and its
    Similar Q&A list show."""
    pages = build_site(questions=1500, crowded=3, replies_each=800)
    assert_no_guarded_seq_scans(client, pages)


# Datasets ---------------------------------------------------------------------------


def build_site(*, questions: int, crowded: int = 0, replies_each: int = 0) -> list[str]:
    """A generated dataset (manage.py generate_dataset, as the benchmarks use) plus
    `crowded` questions with `replies_each` more published replies, FAQs on common tags
    and one attached article; the tables analyzed. Returns the URLs of the pages to read:
    one whose Similar Q&A list is stored (among the crowded questions, if any), one
    viewed for the first time (its list ranked then), one with an article."""
    call_command("generate_dataset", questions=questions, tags=500, seed=1, stdout=StringIO())
    ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
    crowded_ids = ids[10 : 10 + crowded]
    if crowded_ids:
        add_replies(crowded_ids, replies_each)
    add_faqs(count=400)
    stored, first_view, with_article = (
        Question.objects.get(pk=pk) for pk in (ids[len(ids) // 2], ids[-1], ids[len(ids) // 3])
    )
    ArticleFactory().questions.add(with_article)
    for question in (stored, with_article):
        store_similar(question=question, tag_ids=tag_ids(question.pk))
    if crowded_ids:  # the page's list and the page itself show the crowded questions
        Question.objects.filter(pk=stored.pk).update(similar_ids=crowded_ids)
        Question.objects.filter(pk__in=crowded_ids).update(similar_ids=crowded_ids[::-1])
    analyze()
    urls = [stored.get_absolute_url(), first_view.get_absolute_url()]
    urls += [with_article.get_absolute_url()]
    urls += [Question.objects.get(pk=pk).get_absolute_url() for pk in crowded_ids[:1]]
    return urls


def tag_ids(question_id: int) -> list[int]:
    return list(
        TaggedQuestion.objects.filter(content_object_id=question_id).values_list(
            "tag_id", flat=True
        )
    )


def add_replies(question_ids: list[int], each: int) -> None:
    doctors = list(DoctorProfile.objects.values_list("pk", flat=True))
    now = timezone.now()
    rows = [
        {
            "question_id": question_id,
            "doctor_id": doctors[n % len(doctors)],
            "body": f"Reply {n} to question {question_id}.",
            "status": Reply.Status.PUBLISHED,
            "created_at": now,
            "updated_at": now,
            "published_at": now,
        }
        for question_id in question_ids
        for n in range(each)
    ]
    for row, pk in zip(rows, reserve_ids(Reply, len(rows)), strict=True):
        row["id"] = pk
    copy_rows([], rows, [])


def add_faqs(*, count: int) -> None:
    """Published FAQs, each on up to three of the 20 commonest tags, where pages find them.
    (generate_dataset makes its tags in order of rank.) With 400 of them the FAQ links
    fill several pages, so reading them whole is a choice the planner must not make; a
    table of one page it may rightly read whole, as it does the specialties."""
    common = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:20])
    faqs = FAQ.objects.bulk_create(
        FAQ(question=f"FAQ {n}?", answer="An answer.", is_published=True, position=n)
        for n in range(count)
    )
    FAQ_LINKS.objects.bulk_create(
        FAQ_LINKS(content_object=faq, tag_id=tag)
        for n, faq in enumerate(faqs)
        for tag in {
            common[n % len(common)],
            common[(n * 7 + 1) % len(common)],
            common[(n * 3 + 2) % len(common)],
        }
    )


def analyze() -> None:
    from django.apps import apps

    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Plans -------------------------------------------------------------------------------


def assert_no_guarded_seq_scans(client, urls: list[str]) -> None:
    statements = page_statements(client, urls)
    assert len(statements) >= 4  # the question (each page), ranking, items, articles
    failures = []
    for sql, params in statements:
        for mode, plan in plans(sql, params).items():
            scans = sorted(guarded_seq_scans(plan))
            if scans:
                failures.append(
                    f"{mode}: Seq Scan on {', '.join(scans)} in\n  {sql[:300]}...\n"
                    + "\n".join(outline(plan))
                )
    assert not failures, "\n\n".join(failures)


def page_statements(client, urls: list[str]) -> list[tuple[str, list]]:
    """Each distinct SELECT the pages send, with the parameters of its first use."""
    seen: dict[str, list] = {}

    def record(execute, sql, params, many, context):
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.setdefault(sql, list(params or []))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
    return list(seen.items())


def plans(sql: str, params: list) -> dict[str, dict]:
    """The statement's plans as PostgreSQL would run it prepared with these parameters:
    prepared by psycopg exactly as the site's server-side binding prepares it (the same
    text and parameter types), then EXPLAIN EXECUTE under each plan_cache_mode."""
    text = placeholders_to_numbers(sql)
    found = {}
    with psycopg.Cursor(connection.connection) as cursor:  # server-side binding
        cursor.execute(sql, params, prepare=True)
        cursor.fetchall()
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE statement = %s", [text])
        row = cursor.fetchone()
        assert row, f"psycopg did not prepare the statement:\n{sql}"
        execute = pg.SQL("EXPLAIN (FORMAT JSON) EXECUTE {}").format(pg.Identifier(row[0]))
        if params:
            execute += pg.SQL("({})").format(pg.SQL(", ").join(pg.Literal(p) for p in params))
        try:
            for mode in PLAN_MODES:
                cursor.execute(pg.SQL("SET plan_cache_mode = {}").format(pg.SQL(mode)))
                cursor.execute(execute)
                found[mode] = cursor.fetchone()[0][0]["Plan"]
        finally:
            cursor.execute("RESET plan_cache_mode")
    return found


def placeholders_to_numbers(sql: str) -> str:
    """The text psycopg sends for a statement with %s placeholders ($1, $2, ...)."""
    assert "%%" not in sql and not re.search(r"%[^s]", sql), sql
    numbers = iter(range(1, sql.count("%s") + 1))
    return re.sub(r"%s", lambda _: f"${next(numbers)}", sql)


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def guarded_seq_scans(plan: dict) -> set[str]:
    return {
        node["Relation Name"]
        for node in nodes(plan)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in GUARDED
    }


def outline(plan: dict, depth: int = 1) -> list[str]:
    line = "  " * depth + plan["Node Type"]
    if "Relation Name" in plan:
        line += f" on {plan['Relation Name']}"
    if "Index Name" in plan:
        line += f" using {plan['Index Name']}"
    lines = [f"{line} (rows {plan['Plan Rows']})"]
    for child in plan.get("Plans", []):
        lines += outline(child, depth + 1)
    return lines
