"""Search and sitemap benchmark: prints p50/p95/max of 50 fixed English searches, of 48
Chinese ones, and sitemap times.

Run it on PostgreSQL with the generated dataset (see the README, "Search"):

    DATABASE_URL=postgres://postgres@127.0.0.1:25434/bench .venv/bin/python bench/search.py

Each search is timed twice: `search_questions()` plus fetching the first page of results
with their snippets (the database work), and the whole /search/ page through Django's test
client (view, template, middleware). Every query runs once to warm caches, then --rounds
times. --counts also prints how many questions match each query (slow: exact counts).
The Chinese queries need Chinese questions: generate_dataset --language mix (half of
them Chinese) or zh-hant; they are reported apart from the English ones.
Targets (issue 7): search p95 < 50 ms and no search over 300 ms; each sitemap < 200 ms.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.test.utils import override_settings  # noqa: E402

# Plain static storage: the hashed manifest needs collectstatic, which a benchmark skips.
override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

from django.core.cache import cache  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from forum.models import Specialty  # noqa: E402
from forum.site.search import _TSQUERY, search_questions  # noqa: E402
from forum.site.views import SEARCH_PAGE_SIZE  # noqa: E402
from questions.models import Question, SearchDocument, Tag  # noqa: E402
from questions.search_text import query_terms  # noqa: E402

# 50 queries over the generated dataset's vocabulary: words found on a large share of the
# questions, rarer ones, words found nowhere (they go through the typo fallback), two-word
# queries and quoted phrases, and misspellings.
COMMON = [
    "headache", "sleep", "coffee", "pain", "doctor", "blood", "night", "exercise",
    "specialist", "worry", "tests", "weeks", "family", "painkiller", "work",
]  # fmt: skip
RARE = [
    "hiccups", "floaters", "ulcers", "bruising", "tinnitus", "jaw", "cramps", "snoring",
    "sciatica", "gout", "vertigo", "shingles",
]  # fmt: skip
PHRASES = [
    "back pain", '"back pain"', "blood pressure", '"high blood pressure"', "chest tightness",
    "knee pain", '"dry eyes"', "night sweats", "sore throat", '"shortness of breath"',
    "headache morning", "rash itching",
]  # fmt: skip
MISSPELLED = [
    "headahce", "migrane", "insomina", "palpitatons", "ecezma", "diarrhoea", "astma",
    "colesterol", "tinitus", "nausia", "anxeity",
]  # fmt: skip
QUERIES = COMMON + RARE + PHRASES + MISSPELLED
assert len(QUERIES) == 50, len(QUERIES)
# 48 Chinese queries over generate_dataset's Traditional Chinese vocabulary: common and
# rarer words, words found nowhere, two words and mixed ones, the Simplified forms of
# Traditional words, and medical terms whole and by their parts.
COMMON_ZH = [
    "頭痛", "咳嗽", "發燒", "失眠", "醫師", "檢查", "晚上", "運動", "咖啡", "門診",
    "血壓", "止痛藥",
]  # fmt: skip
RARE_ZH = [
    "打嗝", "飛蚊症", "口腔潰瘍", "瘀青", "耳鳴", "顳顎關節", "盜汗", "打鼾", "腎結石",
    "中風", "癲癇", "癢",
]  # fmt: skip
PHRASES_ZH = [
    "頭痛發燒", "早上起床 頭痛", "膝蓋痛 運動", "MRI 頭痛", "喉嚨痛 咳嗽", "晚上 失眠",
    '"下背痛"', "高血壓 膽固醇", "頭痛 -咳嗽", "胸悶 心悸", "感冒之後 咳嗽", "coffee 失眠",
]  # fmt: skip
FOLDED_ZH = [
    "头痛", "发烧", "甲状腺亢进", "头晕", "脚踝扭伤", "过敏", "胃食道逆流", "逆流", "甲狀腺",
    "食道", "ＭＲＩ", "喉咙痛",
]  # fmt: skip
QUERIES_ZH = COMMON_ZH + RARE_ZH + PHRASES_ZH + FOLDED_ZH
assert len(QUERIES_ZH) == 48, len(QUERIES_ZH)
EXTRA = [
    ("headache", True), ("hiccups", True), ("back pain", True), ("migrane", True),
    ("pain -headache", False), ("-child fever", False), ("cough or fever or rash", False),
    ('"what could it be"', False),
]  # fmt: skip


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def timed(func) -> tuple[float, object]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def search_once(query: str, specialty=None):
    results = search_questions(query, specialty)
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(1)
    list(page.object_list)
    return results


def get(client: Client, url: str, **params) -> int:
    response = client.get(url, params, secure=True)
    assert response.status_code == 200, (url, params, response.status_code)
    return len(response.content)


def exact_count(query: str) -> int:
    terms = query_terms(query)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM questions_searchdocument AS d WHERE d.vector @@ {_TSQUERY}",
            {"q": terms.rest, "zh": terms.tsquery()},
        )
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--counts", action="store_true", help="Also print exact match counts.")
    parser.add_argument(
        "--search-only", action="store_true", help="Leave out the sitemaps and other pages."
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the module docstring).")
    published = Question.objects.published().count()
    documents = SearchDocument.objects.count()
    version = f"{connection.pg_version // 10000}.{connection.pg_version % 100}"
    print(f"PostgreSQL {version}; {published:,} published questions, "
          f"{documents:,} search documents, {Tag.objects.count():,} tags")  # fmt: skip
    if documents < published:
        sys.exit("Some questions have no search document: run manage.py rebuild_search_index.")

    client = Client()
    chinese = SearchDocument.objects.filter(question__title__regex=r"[一-鿿]").exists()
    languages = [("English", QUERIES, [
        ("common", COMMON), ("rare/absent", RARE), ("two words/phrase", PHRASES),
        ("misspelled", MISSPELLED),
    ])]  # fmt: skip
    if chinese:
        languages.append(("Chinese", QUERIES_ZH, [
            ("common", COMMON_ZH), ("rare/absent", RARE_ZH), ("two words/mixed", PHRASES_ZH),
            ("folded/parts", FOLDED_ZH),
        ]))  # fmt: skip
    else:
        print("No Chinese questions: the Chinese queries are left out "
              "(generate_dataset --language mix).")  # fmt: skip
    for language, queries, groups in languages:
        run_queries(client, language, queries, groups, args)
    if not args.search_only:
        other_pages(client)


def run_queries(client: Client, language: str, queries: list[str], groups, args) -> None:
    for query in queries:  # warm-up
        search_once(query)
        get(client, reverse("forum:search"), q=query)

    per_query: dict[str, list[float]] = {q: [] for q in queries}
    page_times: list[float] = []
    outcome: dict[str, str] = {}
    for _ in range(args.rounds):
        for query in queries:
            seconds, results = timed(lambda q=query: search_once(q))
            per_query[query].append(seconds)
            outcome[query] = results.problem or (
                (f"corrected to {results.corrected!r}: " if results.corrected else "")
                + f"{len(results):,}{'+' if results.capped else ''} ranked"
            )
            page_times.append(timed(lambda q=query: get(client, "/search/", q=q))[0])

    print(f"\n{language} queries (median of {args.rounds}; 'ranked' = matches ranked, capped "
          "at 200):")  # fmt: skip
    for group, members in groups:
        for query in members:
            extra = f"  exact matches {exact_count(query):,}" if args.counts else ""
            print(f"  {group:17} {query:28} {ms(statistics.median(per_query[query]))}"
                  f"  {outcome[query]}{extra}")  # fmt: skip

    samples = [s for values in per_query.values() for s in values]
    print(f"\n{language}: search_questions() + first page, {len(samples)} samples:")
    print(f"  p50 {ms(percentile(samples, 0.50))}   p95 {ms(percentile(samples, 0.95))}"
          f"   max {ms(max(samples))}")  # fmt: skip
    print(f"{language}: whole /search/ page, {len(page_times)} samples:")
    print(f"  p50 {ms(percentile(page_times, 0.50))}   p95 {ms(percentile(page_times, 0.95))}"
          f"   max {ms(max(page_times))}")  # fmt: skip


def other_pages(client: Client) -> None:
    print("\nNot in the 50: with a specialty filter, and operators (best of 3):")
    specialty = Specialty.objects.order_by("-position", "-id").first()
    for query, in_specialty in EXTRA:
        only = specialty if in_specialty else None
        seconds = min(timed(lambda q=query, s=only: search_once(q, s))[0] for _ in range(3))
        where = f"in {specialty.name}" if in_specialty else "everywhere"
        print(f"  {query:28} {where:22} {ms(seconds)}")

    print("\nSitemaps (whole response, best of 3 / first):")
    index_url = reverse("sitemap")
    questions_url = reverse("sitemap-section", args=["questions"])
    last_page = get_last_sitemap_page(client, index_url)
    for label, url, params in (
        ("index /sitemap.xml", index_url, {}),
        ("questions page 1", questions_url, {"p": 1}),
        (f"questions page {last_page // 2}", questions_url, {"p": last_page // 2}),
        (f"questions page {last_page} (last)", questions_url, {"p": last_page}),
        ("tags page 1", reverse("sitemap-section", args=["tags"]), {"p": 1}),
    ):
        times = [timed(lambda u=url, p=params: get(client, u, **p))[0] for _ in range(3)]
        size = get(client, url, **params)
        print(f"  {label:28} {ms(min(times))} / {ms(times[0])}   {size / 1024:,.0f} KiB")

    print("\nOther pages at this size (whole response, best of 3; home with a cold cache):")
    top_tag = Tag.objects.order_by("id").first()
    specialty_slug = Question.objects.values_list("specialty__slug", flat=True).first()
    for label, url, params, cold in (
        ("home", reverse("forum:home"), {}, True),
        ("home (counts cached)", reverse("forum:home"), {}, False),
        ("specialty page 1", reverse("forum:specialty", args=[specialty_slug]), {}, False),
        (
            "specialty page 50 (last)",
            reverse("forum:specialty", args=[specialty_slug]),
            {"page": 50},
            False,
        ),
        (f"tag '{top_tag.name}' page 1", top_tag.get_absolute_url(), {}, False),
        ("RSS feed", reverse("forum:feed-rss"), {}, False),
    ):
        times = []
        for _ in range(3):
            if cold:
                cache.clear()
            times.append(timed(lambda u=url, p=params: get(client, u, **p))[0])
        print(f"  {label:28} {ms(min(times))}")


def get_last_sitemap_page(client: Client, index_url: str) -> int:
    body = client.get(index_url, secure=True).content.decode()
    return body.count("sitemap-questions.xml")


if __name__ == "__main__":
    main()
