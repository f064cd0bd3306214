"""Benchmark the Q&A page and Similar Q&A at three dataset shapes, each against a yardstick.

    DATABASE_URL=postgres://postgres@127.0.0.1:25433/postgres .venv/bin/python bench/qa_page.py
    ... bench/qa_page.py --shapes 10k,100k --prewarm

Each shape (10k: 10,000 questions / 500 tags, 100k: 100,000 / 5,000, 1m: 1,000,000 /
20,000; tags on a Zipf law) has its own database on the PostgreSQL server DATABASE_URL
names, bench_<shape>: created, migrated and filled with ``manage.py generate_dataset
--questions N --tags T --seed 1`` the first time, reused after. Each shape is measured
in a process of its own, with production settings (debug off, cached templates, the
default cache: the database cache without REDIS_URL, Redis with it; prepared
statements), over random published, answered questions:

- cold: the whole page through Django's test client with its cached copy out of date
  (its version bumped before every request, as an edit does) and the question's
  Similar Q&A list stored, as it is once the page has been viewed or the question
  answered: p50/p95, SQL statements
  (the page's own and the cache's), bytes;
- first view after a bulk load: the page with no stored list (ranked and stored first);
- cached: the page from the anonymous page cache, in the configured cache, and for
  reference in this process's memory;
- Similar Q&A alone: the stored list read (no cache), and ranked afresh;
- the yardstick: Django's template engine rendering a template of the shape's median
  page size with no database (bench/yardstick_urls.py), in the same process; each page
  figure is also given as a share of its requests per second (x0.33 is a third). The
  same template served as a view through the client and middleware is shown too.

The sampled questions' lists are ranked and stored before the timed runs (untimed),
as publishing, answering or a first view does on a live site. PostgreSQL's buffers are
warmed by a few requests first (--prewarm loads the tables whole); the questions are
random, so at a million most of their rows are not in them.

--page-data FILE runs the page on another copy of answers/page_data.py (for example
`git show HEAD:answers/page_data.py > /tmp/old.py`), to compare two versions of its
statements on the same data.

One script (over 400 lines) so that one command runs every shape and measurement and
prints one table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SHAPES = {"10k": (10_000, 500), "100k": (100_000, 5_000), "1m": (1_000_000, 20_000)}
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "forum.settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "EMAIL_URL": "locmem:",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--shapes", default="10k,100k,1m", help=f"Comma-separated, of {', '.join(SHAPES)}."
    )
    parser.add_argument("--requests", type=int, default=300, help="Questions to sample.")
    parser.add_argument("--warmup", type=int, default=50, help="Untimed requests first.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--prewarm",
        action="store_true",
        help="Load the tables and indexes into PostgreSQL's buffers first (pg_prewarm), "
        "as on a server whose data fits in memory.",
    )
    parser.add_argument("--page-data", help="Run the page on this copy of page_data.py.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # one shape, in this process
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return

    shapes = [shape.strip().lower() for shape in args.shapes.split(",") if shape.strip()]
    unknown = [shape for shape in shapes if shape not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (its database name is replaced).")
    results = {}
    for shape in shapes:
        url = database_url(server, f"bench_{shape}")
        ensure_dataset(url, shape)
        command = [sys.executable, __file__, "--measure", shape, *passed_on(args)]
        print(
            f"\n== {shape}: {SHAPES[shape][0]:,} questions, {SHAPES[shape][1]:,} tags", flush=True
        )
        done = subprocess.run(
            command,
            env={**os.environ, **BENCH_ENV, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        for line in done.stdout.splitlines():
            if line.startswith("RESULT "):
                results[shape] = json.loads(line[len("RESULT ") :])
            else:
                print(line)
        if done.returncode:
            sys.exit(f"the {shape} run failed ({done.returncode})")
    summary(results)


def passed_on(args) -> list[str]:
    found = ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    found += ["--seed", str(args.seed)]
    found += ["--prewarm"] if args.prewarm else []
    found += ["--page-data", str(Path(args.page_data).resolve())] if args.page_data else []
    return found


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_dataset(url: str, shape: str) -> None:
    """Create the shape's database if missing, migrate it and fill it (both do nothing
    when done before)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(database_url(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"creating database {name}", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')
    questions, tags = SHAPES[shape]
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [*manage, "generate_dataset", "--questions", str(questions), "--tags", str(tags),
         "--seed", "1"],
        env=env, check=True,
    )  # fmt: skip


def summary(results: dict) -> None:
    if not results:
        return
    print("\n== summary (ms; share = the page's requests/s over the yardstick's, one process)")
    rows = [
        ("yardstick: template of the page's size, no database", "yardstick"),
        ("yardstick view (the same through the client)", "yardstick_view"),
        ("cold page, Similar Q&A list stored", "cold"),
        ("cold page, the cache in process memory", "cold_local"),
        ("first view after a bulk load (list ranked)", "first_view"),
        ("cached page (configured cache)", "cached"),
        ("cached page (this process's memory)", "cached_local"),
    ]
    shapes = list(results)
    print(f"{'':54}" + "".join(f"{shape:>28}" for shape in shapes))
    for label, key in rows:
        cells = []
        for shape in shapes:
            figure = results[shape][key]
            share = results[shape]["yardstick"]["mean"] / figure["mean"]
            cells.append(f"{figure['p50']:6.2f} / {figure['p95']:6.2f}  x{share:5.2f}")
        print(f"{label:54}" + "".join(f"{cell:>28}" for cell in cells))
    for label, key in [("SQL per cold page: page's / cache's", "queries"),
                       ("SQL per first view: page's / cache's", "first_view_queries")]:  # fmt: skip
        cells = [f"{results[s][key]['page']} / {results[s][key]['cache']}" for s in shapes]
        print(f"{label:54}" + "".join(f"{cell:>28}" for cell in cells))
    print(f"{'median bytes per page':54}" + "".join(f"{results[s]['bytes']:>28,}" for s in shapes))
    print(
        f"{'load average at start / end':54}"
        + "".join(f"{results[s]['load'][0]:>22.2f} / {results[s]['load'][1]:.2f}" for s in shapes)
    )
    if "10k" in results and "1m" in results:
        flat = results["1m"]["cold"]["p50"] / results["10k"]["cold"]["p50"]
        print(f"cold page p50, 1m / 10k: {flat:.2f} (flat: between 0.8 and 1.25)")


# One shape, in its own process ------------------------------------------------------


def measure(args) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args.page_data:
        swap_page_data(Path(args.page_data))

    from django.conf import settings
    from django.test import override_settings

    # Plain static file storage: the benchmark renders pages without collectstatic.
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],  # the test client's host
        ROOT_URLCONF="bench.yardstick_urls",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        run_shape(args)


def swap_page_data(path: Path) -> None:
    """Run answers/page_data.py's functions with another copy's code: its source runs
    in the module's namespace, and each function object others imported gets its code."""
    import types

    from answers import page_data

    before = {n: f for n, f in vars(page_data).items() if isinstance(f, types.FunctionType)}
    exec(compile(path.read_text(), str(path), "exec"), vars(page_data))  # noqa: S102
    for name, function in before.items():
        new = vars(page_data).get(name)
        if isinstance(new, types.FunctionType):
            function.__code__ = new.__code__
            function.__defaults__, function.__kwdefaults__ = new.__defaults__, new.__kwdefaults__
    print(f"page_data: running the statements of {path}")


def figures(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "n": len(ordered),
    }


def line(label: str, samples: list[float], yardstick: dict | None = None) -> str:
    f = figures(samples)
    text = f"{label:48} p50 {f['p50']:7.3f} ms   p95 {f['p95']:7.3f} ms   max {f['max']:7.3f} ms"
    if yardstick:
        text += f"   {f['n'] / sum(samples) * 1000:7.1f}/s, x{yardstick['mean'] / f['mean']:.2f}"
    return text


def run_shape(args) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from answers.models import Reply
    from answers.page_data import compute_similar, similar_questions
    from bench.yardstick_urls import TEMPLATE, rows_for
    from questions.cache import invalidate_question_page
    from questions.models import Question, Tag, TaggedQuestion
    from questions.similar import store_similar

    def timed_get(client: Client, url: str):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}")
        return elapsed, response

    def counted_get(client: Client, url: str) -> dict:
        """The statements of one request (untimed: capturing them puts Django's debug
        cursor, which a production server does not use, into the request)."""
        with CaptureQueriesContext(connection) as captured:
            timed_get(client, url)
        cache_table = settings.CACHES["default"].get("LOCATION", "")
        on_cache = sum(
            1
            for q in captured
            if (cache_table and cache_table in q["sql"])
            # A GET writes nothing of its own: transactions are the cache's writes.
            or q["sql"].split(" ", 1)[0] in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
        )
        return {"page": len(captured) - on_cache, "cache": on_cache}

    load_start = os.getloadavg()[0]
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures are for", connection.vendor)
    if args.prewarm:
        prewarm(connection, [Question, TaggedQuestion, Reply])
    rng = random.Random(args.seed)
    print(
        f"dataset: {Question.objects.count():,} questions, {Tag.objects.count():,} tags, "
        f"{TaggedQuestion.objects.count():,} tag links ({connection.vendor}, "
        f"debug={settings.DEBUG}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]})"
    )
    questions = sample_questions(Question, args.requests + args.warmup, rng)
    tag_ids: dict[int, list[int]] = {}
    for link in TaggedQuestion.objects.filter(content_object__in=questions).values_list(
        "content_object_id", "tag_id"
    ):
        tag_ids.setdefault(link[0], []).append(link[1])
    for question in questions:  # what answering or a first view has done (untimed)
        store_similar(question=question, tag_ids=tag_ids.get(question.pk, []))
    warmup, questions = questions[: args.warmup], questions[args.warmup :]
    client = Client()

    # A cold request: the page's version bumped, as after an edit, so the cache misses
    # (the site-wide generation and the other pages stay, as on a live site).
    cache.clear()
    for question in warmup:
        invalidate_question_page(question.pk)
        timed_get(client, question.get_absolute_url())

    cold, from_cache, queries, sizes = [], [], [], []
    for question in questions:
        url = question.get_absolute_url()
        invalidate_question_page(question.pk)
        elapsed, response = timed_get(client, url)
        cold.append(elapsed)
        sizes.append(len(response.content))
        elapsed, cached = timed_get(client, url)
        if cached.content != response.content:
            sys.exit(f"the cached page of {url} differs from the rendered one")
        from_cache.append(elapsed)
        invalidate_question_page(question.pk)
        queries.append(counted_get(client, url))

    first_view, first_view_queries = [], []
    for question in questions[: len(questions) // 3]:
        Question.objects.filter(pk=question.pk).update(similar_ids=None)
        invalidate_question_page(question.pk)
        elapsed, _ = timed_get(client, question.get_absolute_url())
        first_view.append(elapsed)
        Question.objects.filter(pk=question.pk).update(similar_ids=None)
        invalidate_question_page(question.pk)
        first_view_queries.append(counted_get(client, question.get_absolute_url()))

    # The same with the cache in this process's memory: what the page itself costs, and
    # the cached page without a round trip.
    local_cold, local_cache = [], []
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        for question in questions:
            url = question.get_absolute_url()
            invalidate_question_page(question.pk)
            local_cold.append(timed_get(client, url)[0])
            local_cache.append(timed_get(client, url)[0])

    # The yardstick: a template of the median page's size, same client, same process.
    median_bytes = int(statistics.median(sizes))
    yard_url = f"/bench/yardstick/?bytes={median_bytes}"
    for _ in range(args.warmup):
        timed_get(client, yard_url)
    yard_view = [timed_get(client, yard_url)[0] for _ in questions]
    yard_queries = counted_get(client, yard_url)
    yard_bytes = len(client.get(yard_url).content)
    rows = rows_for(median_bytes)
    render = []
    for _ in questions:
        started = time.perf_counter()
        TEMPLATE.render({"rows": rows})
        render.append((time.perf_counter() - started) * 1000)

    read_cold, read_warm, ranked, listed = [], [], [], []
    for question in sample_questions(Question, len(questions), random.Random(args.seed + 1)):
        ids = list(question.tags.values_list("pk", flat=True))
        store_similar(question=question, tag_ids=ids)
        started = time.perf_counter()
        items = similar_questions(question=question, tag_ids=ids)
        read_cold.append((time.perf_counter() - started) * 1000)
        listed.append(len(items))
        started = time.perf_counter()
        similar_questions(question=question, tag_ids=ids)
        read_warm.append((time.perf_counter() - started) * 1000)
    for question in sample_questions(Question, len(questions), random.Random(args.seed + 2)):
        ids = list(question.tags.values_list("pk", flat=True))
        started = time.perf_counter()
        compute_similar(question_id=question.pk, specialty_id=question.specialty_id, tag_ids=ids)
        ranked.append((time.perf_counter() - started) * 1000)

    y = figures(render)
    n = len(questions)
    print(
        f"yardstick: Django's engine rendering {len(rows)} rows, {yard_bytes:,} bytes (the "
        f"median page's size), no database; x = requests/s as a share of its rate"
    )
    print(line("Yardstick: the template rendered", render, y))
    print(line("Yardstick view through client and middleware", yard_view, y))
    print(f"  SQL per request: {sum(yard_queries.values())}")
    print(line(f"Q&A page, cold page cache ({n} questions)", cold, y))
    print(
        f"  SQL per page: the page's {min(q['page'] for q in queries)}-"
        f"{max(q['page'] for q in queries)}, the cache's {min(q['cache'] for q in queries)}-"
        f"{max(q['cache'] for q in queries)}; bytes per page: median {median_bytes:,}, "
        f"max {max(sizes):,}"
    )
    print(line("Q&A page, cold, cache in process memory", local_cold, y))
    print(line(f"Q&A page, first view, list ranked ({len(first_view)})", first_view, y))
    print(
        f"  SQL per page: the page's {max(q['page'] for q in first_view_queries)}, "
        f"the cache's {max(q['cache'] for q in first_view_queries)}"
    )
    print(line("Q&A page from the page cache (configured)", from_cache, y))
    print(line("Q&A page from the page cache (process memory)", local_cache, y))
    print(line("Similar Q&A read, cold (stored list, no cache)", read_cold))
    print(line("Similar Q&A read, warm (same list again)", read_warm))
    print(line("Similar Q&A ranked afresh and read", ranked))
    print(f"  items listed: mean {statistics.mean(listed):.2f} of 4")
    load_end = os.getloadavg()[0]
    print(f"machine: load average {load_start:.2f} at the start, {load_end:.2f} at the end")
    print(
        "RESULT "
        + json.dumps(
            {
                "yardstick": y,
                "yardstick_view": figures(yard_view),
                "cold": figures(cold),
                "first_view": figures(first_view),
                "cached": figures(from_cache),
                "cached_local": figures(local_cache),
                "cold_local": figures(local_cold),
                "queries": {k: max(q[k] for q in queries) for k in ("page", "cache")},
                "first_view_queries": {
                    k: max(q[k] for q in first_view_queries) for k in ("page", "cache")
                },
                "bytes": median_bytes,
                "load": [load_start, load_end],
            }
        )
    )


def sample_questions(Question, count: int, rng: random.Random) -> list:
    """Random published, answered questions (uniform over ids)."""
    bounds = Question.objects.published().answered().order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bounds.last()
    if low is None:
        sys.exit("No published, answered questions: run manage.py generate_dataset first.")
    found: dict = {}
    while len(found) < count:
        ids = [rng.randint(low, high) for _ in range(count * 2)]
        for question in Question.objects.published().answered().filter(pk__in=ids):
            found.setdefault(question.pk, question)
    picked = list(found.values())[:count]
    rng.shuffle(picked)
    return picked


def prewarm(connection, models) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for model in models:
            cursor.execute(
                "SELECT pg_prewarm(c.oid) FROM pg_class c WHERE c.oid = %s::regclass "
                "OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = %s::regclass)",
                [model._meta.db_table, model._meta.db_table],
            )
    print("prewarmed:", ", ".join(model._meta.db_table for model in models))


if __name__ == "__main__":
    main()
