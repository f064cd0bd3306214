"""Benchmark the Q&A page and Similar Q&A on a generated dataset.

    DATABASE_URL=postgres://postgres@127.0.0.1:25433/bench .venv/bin/python bench/qa_page.py

Fill the database first with ``manage.py migrate`` and ``manage.py generate_dataset``.
Over random published, answered questions it prints, with production settings
(debug off, cached templates, the local-memory cache, prepared statements):

- the whole page through Django's test client with a cold page cache (cleared before
  every request) and the question's Similar Q&A list stored, as it is once the page
  has been viewed or the question answered: p50/p95 server time, SQL queries, bytes;
- the page when its Similar Q&A list was just marked stale (ranked and stored first);
- the page from the anonymous page cache;
- Similar Q&A alone: reading the stored list (no cache: one query, PostgreSQL's
  buffers cold for that question, then warm), and ranking it afresh.

The sampled questions' lists are ranked and stored before the timed runs (untimed),
as publishing, answering or a first view does on a live site.

PostgreSQL's own buffers are warmed by a few requests first, as on a live server;
the questions are random, so at a million most of their rows are not in them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from questions.models import Question, Tag, TaggedQuestion  # noqa: E402
from questions.similar import compute_similar, similar_questions, store_similar  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {p50:7.3f} ms   p95 {p95:7.3f} ms   max {ordered[-1]:7.3f} ms"


def calibrate() -> float:
    """Median time to render a 48 KB template (400 rows) with no database: a yardstick
    that shows how busy the machine is while the figures are taken."""
    from django.template import engines

    template = engines["django"].from_string(
        '{% for row in rows %}<li class="row"><a href="/q/{{ row.id }}/">{{ row.title }}</a>'
        "<p>{{ row.text }}</p></li>{% endfor %}"
    )
    rows = [{"id": n, "title": f"Question {n}", "text": "x" * 60} for n in range(400)]
    samples = []
    for _ in range(30):
        started = time.perf_counter()
        html = template.render({"rows": rows})
        samples.append((time.perf_counter() - started) * 1000)
    assert 40_000 < len(html) < 56_000, len(html)
    return statistics.median(samples)


def sample_questions(count: int, rng: random.Random) -> list[Question]:
    """Random published, answered questions (uniform over ids)."""
    bounds = Question.objects.published().answered().order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bounds.last()
    if low is None:
        sys.exit("No published, answered questions: run manage.py generate_dataset first.")
    found: dict[int, Question] = {}
    while len(found) < count:
        ids = [rng.randint(low, high) for _ in range(count * 2)]
        for question in Question.objects.published().answered().filter(pk__in=ids):
            found.setdefault(question.pk, question)
    picked = list(found.values())[:count]
    rng.shuffle(picked)
    return picked


def prewarm() -> None:
    tables = [Question, TaggedQuestion, Question._meta.get_field("replies").related_model]
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for model in tables:
            cursor.execute(
                "SELECT pg_prewarm(c.oid) FROM pg_class c WHERE c.oid = %s::regclass "
                "OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = %s::regclass)",
                [model._meta.db_table, model._meta.db_table],
            )
    print("prewarmed:", ", ".join(model._meta.db_table for model in tables))


def timed_get(client: Client, url: str):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}")
    return elapsed, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="Questions to sample.")
    parser.add_argument("--warmup", type=int, default=50, help="Untimed requests first.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--prewarm",
        action="store_true",
        help="Load the tables and indexes into PostgreSQL's buffers first (pg_prewarm), "
        "as on a server whose data fits in memory.",
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures are for", connection.vendor)
    if args.prewarm:
        prewarm()
    rng = random.Random(args.seed)
    print(
        f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"yardstick: a 48 KB template (400 rows, no database) renders in {calibrate():.2f} ms"
    )
    print(
        f"dataset: {Question.objects.count():,} questions, {Tag.objects.count():,} tags, "
        f"{TaggedQuestion.objects.count():,} tag links ({connection.vendor}, "
        f"debug={settings.DEBUG})"
    )
    questions = sample_questions(args.requests + args.warmup, rng)
    tag_ids: dict[int, list[int]] = {}
    for link in TaggedQuestion.objects.filter(content_object__in=questions).values_list(
        "content_object_id", "tag_id"
    ):
        tag_ids.setdefault(link[0], []).append(link[1])
    for question in questions:  # what answering or a first view has done (untimed)
        store_similar(question=question, tag_ids=tag_ids.get(question.pk, []))
    warmup, questions = questions[: args.warmup], questions[args.warmup :]
    client = Client()

    for question in warmup:
        cache.clear()
        timed_get(client, question.get_absolute_url())

    # Queries are counted on a second cold request, untimed: capturing them puts Django's
    # debug cursor (which a production server does not use) into the timed one.
    cold, from_cache, queries, sizes = [], [], [], []
    for question in questions:
        url = question.get_absolute_url()
        cache.clear()
        elapsed, response = timed_get(client, url)
        cold.append(elapsed)
        sizes.append(len(response.content))
        elapsed, cached = timed_get(client, url)
        if cached.content != response.content:
            sys.exit(f"the cached page of {url} differs from the rendered one")
        from_cache.append(elapsed)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            timed_get(client, url)
        queries.append(len(captured))

    stale, stale_queries = [], []
    for question in questions[: len(questions) // 3]:
        Question.objects.filter(pk=question.pk).update(similar_ids=None)
        cache.clear()
        elapsed, _ = timed_get(client, question.get_absolute_url())
        stale.append(elapsed)
        Question.objects.filter(pk=question.pk).update(similar_ids=None)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            timed_get(client, question.get_absolute_url())
        stale_queries.append(len(captured))

    read_cold, read_warm, ranked, listed = [], [], [], []
    for question in sample_questions(len(questions), random.Random(args.seed + 1)):
        ids = list(question.tags.values_list("pk", flat=True))
        store_similar(question=question, tag_ids=ids)
        started = time.perf_counter()
        items = similar_questions(question=question, tag_ids=ids)
        read_cold.append((time.perf_counter() - started) * 1000)
        listed.append(len(items))
        started = time.perf_counter()
        similar_questions(question=question, tag_ids=ids)
        read_warm.append((time.perf_counter() - started) * 1000)
    for question in sample_questions(len(questions), random.Random(args.seed + 2)):
        ids = list(question.tags.values_list("pk", flat=True))
        started = time.perf_counter()
        compute_similar(question_id=question.pk, specialty_id=question.specialty_id, tag_ids=ids)
        ranked.append((time.perf_counter() - started) * 1000)

    n = len(questions)
    print(f"Q&A page, cold page cache ({n} random questions):  {percentiles(cold)}")
    print(
        f"  SQL queries per page: min {min(queries)}, max {max(queries)}; "
        f"bytes per page: median {statistics.median(sizes):,.0f}, max {max(sizes):,}"
    )
    print(f"Q&A page, Similar Q&A list stale ({len(stale)}):    {percentiles(stale)}")
    print(f"  SQL queries per page: min {min(stale_queries)}, max {max(stale_queries)}")
    print(f"Q&A page from the anonymous page cache:         {percentiles(from_cache)}")
    print(f"Similar Q&A read, cold (stored list, no cache): {percentiles(read_cold)}")
    print(f"Similar Q&A read, warm (same list again):       {percentiles(read_warm)}")
    print(f"Similar Q&A ranked afresh and read:             {percentiles(ranked)}")
    print(f"  items listed: mean {statistics.mean(listed):.2f} of 4")
    print(f"machine: load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    # Plain static file storage: the benchmark renders pages without collectstatic.
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],  # the test client's host
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        main()
