"""How to index Chinese for search: recall and precision on a small labelled set, vector
and GIN index size and query time on the generated dataset's Chinese questions.

    DATABASE_URL=postgres://postgres@127.0.0.1:21500/bench .venv/bin/python \\
        bench/zh_segmentation.py [--sample 50000]

Methods compared (all on folded text: NFKC, Simplified characters, lower case):

- bigrams (what search does, questions/search_text.py): every pair of adjacent Han
  characters and the last one of a run; a query word is the phrase of its pairs.
- whole runs: PostgreSQL's `english` configuration as it is, which keeps a run of Han
  characters (up to the next punctuation) as one token: search before issue 16.
- jieba, search mode, with and without the medical vocabulary (questions/zh_terms.txt)
  as a user dictionary: words as tokens; a query is segmented the same way and its
  words ANDed. Only when jieba is installed (`pip install jieba==0.42.1`): it is not a
  dependency of the site.

The labelled set is 32 short questions written for this benchmark and 38 queries,
each with the questions a person typing it wants (by meaning: 逆流 wants 逆流性食道炎
too), so no method reaches a recall of 1.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from questions.search_text import fold, has_han, index_text, query_terms  # noqa: E402

DOCS = {
    1: "最近早上起床都會頭痛，吃了止痛藥才好一點。",
    2: "偏頭痛發作時右邊太陽穴一跳一跳的，還會想吐。",
    3: "我头痛了三天，还有一点发烧。",
    4: "小孩發燒到三十九度，要不要去急診？",
    5: "吃完飯常常火燒心，醫師說是胃食道逆流。",
    6: "胸口灼熱、一直打嗝，是不是逆流性食道炎？",
    7: "胃脹氣很嚴重，肚子咕嚕咕嚕叫。",
    8: "體檢發現甲狀腺亢進，心跳很快，手也會抖。",
    9: "甲狀腺結節需要開刀嗎？超音波說有一點五公分。",
    10: "甲状腺功能低下要一直吃药吗？",
    11: "做了ＭＲＩ檢查，報告說腰椎椎間盤突出。",
    12: "MRI 顯示腦部正常，但是頭暈一直沒有好。",
    13: "晚上失眠睡不著，白天很疲倦。",
    14: "膝蓋痛，爬樓梯的時候特別明顯。",
    15: "高血壓的藥可以跟感冒藥一起吃嗎？",
    16: "血壓一百六十，頭很脹。",
    17: "皮膚很癢，晚上抓到流血，是濕疹嗎？",
    18: "異位性皮膚炎擦類固醇有副作用嗎？",
    19: "耳鳴好幾個月了，耳朵裡一直有嗡嗡聲。",
    20: "喉嚨痛又咳嗽，已經一個禮拜了。",
    21: "糖尿病患者空腹血糖多少算正常？",
    22: "飯後血糖偏高，是不是糖尿病前期？",
    23: "腳踝扭傷腫起來，要冰敷還是熱敷？",
    24: "經痛很厲害，止痛藥都沒效。",
    25: "頻尿又有血尿，會不會是尿道炎？",
    26: "眼睛乾澀，醫師說是乾眼症。",
    27: "看東西有黑影飄來飄去，是飛蚊症嗎？",
    28: "心悸、胸悶，心電圖正常。",
    29: "焦慮的時候會心跳加速、喘不過氣。",
    30: "骨質疏鬆要補充鈣片跟維生素D嗎？",
    # A pair of characters across two words: 家中 + 風扇 holds 中風 (stroke).
    31: "家中風扇吹整晚，早上起來脖子僵硬。",
    32: "爸爸中風後右手無力，復健要多久？",
}
QUERIES = {
    "頭痛": {1, 2, 3},
    "头痛": {1, 2, 3},
    "偏頭痛": {2},
    "發燒": {3, 4},
    "胃食道逆流": {5, 6},
    "逆流": {5, 6},
    "食道": {5, 6},
    "甲狀腺": {8, 9, 10},
    "甲狀腺亢進": {8},
    "甲状腺": {8, 9, 10},
    "MRI": {11, 12},
    "ＭＲＩ": {11, 12},
    "MRI 頭暈": {12},
    "失眠": {13},
    "膝蓋痛": {14},
    "高血壓": {15, 16},
    "血壓": {15, 16},
    "癢": {17},
    "濕疹": {17},
    "皮膚炎": {18},
    "耳鳴": {19},
    "咳嗽": {20},
    "喉嚨痛 咳嗽": {20},
    "血糖": {21, 22},
    "糖尿病": {21, 22},
    "扭傷": {23},
    "經痛": {24},
    "尿道炎": {25},
    "血尿": {25},
    "乾眼症": {26},
    "飛蚊症": {27},
    "心悸": {28},
    "心電圖": {28},
    "胸悶 心悸": {28},
    "頭痛發燒": {3},
    "糖尿病前期": {22},
    "中風": {32},
    "脖子僵硬": {31},
}
TIMED_QUERIES = [
    "頭痛",
    "發燒",
    "胃食道逆流",
    "逆流",
    "甲狀腺",
    "失眠",
    "耳鳴",
    "打嗝",
    "頭痛 咳嗽",
]


def bigram_query(query: str) -> tuple[str, str]:
    terms = query_terms(query)
    return terms.rest, terms.tsquery()


def load_jieba(user_dictionary: bool):
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if user_dictionary:
        for line in (Path("questions") / "zh_terms.txt").read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word and has_han(word):
                tokenizer.add_word(fold(word), freq=20000)
    return tokenizer


def jieba_text(tokenizer, text: str) -> str:
    return " ".join(w for w in tokenizer.cut_for_search(fold(text)) if w.strip())


def jieba_query(tokenizer, query: str) -> str:
    words = [w for w in tokenizer.cut(fold(query)) if w.strip()]
    return " ".join(words)


def matches(cursor, vector_sql: str, query_sql: str, params: list) -> bool:
    cursor.execute(f"SELECT ({vector_sql}) @@ ({query_sql})", params)
    return bool(cursor.fetchone()[0])


def evaluate(cursor, methods) -> None:
    print(f"Labelled set: {len(DOCS)} questions, {len(QUERIES)} queries")
    print(f"  {'method':34} {'recall':>7} {'precision':>10} {'queries with all found':>24}")
    for name, vector, query in methods:
        recalls, precisions, complete = [], [], 0
        for text, wanted in QUERIES.items():
            found = {
                doc_id
                for doc_id, doc in DOCS.items()
                if matches(cursor, vector[0], query[0], [*vector[1](doc), *query[1](text)])
            }
            recalls.append(len(found & wanted) / len(wanted))
            precisions.append(len(found & wanted) / len(found) if found else 1.0)
            complete += wanted <= found
        print(
            f"  {name:34} {statistics.mean(recalls):7.2f} {statistics.mean(precisions):10.2f}"
            f" {complete:>20}/{len(QUERIES)}"
        )


def chinese_documents(cursor, sample: int) -> list[tuple[int, str]]:
    cursor.execute(
        """
        SELECT q.id, q.title || E'\\n' || q.body || E'\\n' || d.reply_text
        FROM questions_question q JOIN questions_searchdocument d ON d.question_id = q.id
        ORDER BY q.id DESC LIMIT %s
        """,
        [sample * 2],
    )
    return [(pk, text) for pk, text in cursor.fetchall() if has_han(text)][:sample]


def sizes_and_times(cursor, docs, methods) -> None:
    print(
        f"\nThe generated dataset's newest {len(docs):,} Chinese questions (title, text, replies):"
    )
    print(
        f"  {'method':34} {'tokenize':>9} {'vectors':>9} {'GIN':>9} {'query p50':>10} {'p95':>8}"
        f"  (each query: newest 20 matches)"
    )
    for name, make_vector, vector_config, make_query, query_sql in methods:
        started = time.perf_counter()
        rows = [(pk, make_vector(text)) for pk, text in docs]
        tokenize = time.perf_counter() - started
        cursor.execute("DROP TABLE IF EXISTS zh_bench")
        cursor.execute("CREATE TEMP TABLE zh_bench (id bigint PRIMARY KEY, vector tsvector)")
        cursor.execute(
            f"INSERT INTO zh_bench SELECT id, to_tsvector('{vector_config}', t) "
            "FROM unnest(%s::bigint[], %s::text[]) AS x(id, t)",
            [[pk for pk, _ in rows], [text for _, text in rows]],
        )
        cursor.execute("CREATE INDEX zh_bench_gin ON zh_bench USING gin (vector)")
        cursor.execute("ANALYZE zh_bench")
        cursor.execute(
            "SELECT sum(pg_column_size(vector)), pg_relation_size('zh_bench_gin') FROM zh_bench"
        )
        vectors, gin = cursor.fetchone()
        times = []
        for _ in range(3):
            for text in TIMED_QUERIES:
                params = make_query(text)
                started = time.perf_counter()
                cursor.execute(
                    f"SELECT id FROM zh_bench WHERE vector @@ ({query_sql}) "
                    "ORDER BY id DESC LIMIT 20",
                    params,
                )
                cursor.fetchall()
                times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
        print(
            f"  {name:34} {tokenize:8.1f}s {vectors / 2**20:7.1f}MB {gin / 2**20:7.1f}MB"
            f" {statistics.median(times) * 1000:8.1f}ms {p95 * 1000:6.1f}ms"
        )
        cursor.execute("DROP TABLE zh_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=50_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the module docstring).")

    bigram = (
        "to_tsvector('english', %s)",
        lambda text: [index_text(text)],
    )
    bigram_q = (
        "websearch_to_tsquery('english', %s) && %s::tsquery",
        bigram_query,
    )
    whole = ("to_tsvector('english', %s)", lambda text: [fold(text)])
    whole_q = ("websearch_to_tsquery('english', %s)", lambda q: [fold(q)])
    labelled = [
        ("bigrams (chosen)", bigram, bigram_q),
        ("whole runs (english config)", whole, whole_q),
    ]
    timed = [
        ("bigrams (chosen)", index_text, "english", bigram_query,
         "websearch_to_tsquery('english', %s) && %s::tsquery"),
        ("whole runs (english config)", fold, "english", lambda q: [fold(q)],
         "websearch_to_tsquery('english', %s)"),
    ]  # fmt: skip
    for user_dictionary in (False, True):
        tokenizer = load_jieba(user_dictionary)
        if tokenizer is None:
            print("jieba is not installed: its rows are left out.")
            break
        label = "jieba search mode" + (" + medical dict" if user_dictionary else "")
        labelled.append(
            (
                label,
                ("to_tsvector('simple', %s)", lambda t, tk=tokenizer: [jieba_text(tk, t)]),
                ("plainto_tsquery('simple', %s)", lambda q, tk=tokenizer: [jieba_query(tk, q)]),
            )
        )
        timed.append(
            (
                label,
                lambda t, tk=tokenizer: jieba_text(tk, t),
                "simple",
                lambda q, tk=tokenizer: [jieba_query(tk, q)],
                "plainto_tsquery('simple', %s)",
            )
        )

    with connection.cursor() as cursor:
        evaluate(cursor, labelled)
        docs = chinese_documents(cursor, args.sample)
        if docs:
            sizes_and_times(cursor, docs, timed)
        else:
            print("\nNo Chinese questions: generate_dataset --language mix, then rebuild.")


if __name__ == "__main__":
    main()
