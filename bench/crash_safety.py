"""Crash safety under write load: every ask the client was told succeeded is stored, once.

bench/load.sh runs it against gunicorn + a durable PostgreSQL (fsync and synchronous
commit on) and, while it runs, restarts PostgreSQL with `pg_ctl restart -m immediate`
and `kill -9`s a gunicorn worker:

    python bench/crash_safety.py run BASE_URL LOG_FILE SECONDS    # HTTP only
    python bench/crash_safety.py check LOG_FILE                   # against DATABASE_URL

`run` logs in as the bench patient (bench/prepare.py), then several threads POST the ask
form with unique titles; each success answer (a redirect) is appended to LOG_FILE at
once. `check` compares LOG_FILE with the questions table: a logged title missing from
the table, or a title stored twice, is a failure (exit 1).

PENDING: the ask flow (questions:ask) does not exist yet; `run` then prints PENDING and
exits 3. The field names below follow DESIGN.md; `run` lists any the form does not have.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "crash-"
THREADS = int(os.environ.get("CRASH_THREADS", "4"))
ASK_FIELDS = ["nickname", "age_range", "sex", "specialty", "title", "body", "tags", "consent"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(jar):
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _send(opener, url, data=None, headers=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def run(base: str, log_path: str, seconds: float) -> int:
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    status, html = _send(opener, base + "/accounts/login/")
    status, _ = _send(
        opener,
        base + "/accounts/login/",
        {
            "csrfmiddlewaretoken": _token(html),
            "login": "bench-patient@example.org",
            "password": os.environ["BENCH_PASSWORD"],
        },
    )
    if status != 302:
        print(f"crash-safety: log-in failed with {status}")
        return 2
    ask_url = base + os.environ.get("ASK_URL", "/questions/ask/")
    status, html = _send(opener, ask_url)
    if status != 200:
        print(f"PENDING: crash-safety check needs the ask flow ({ask_url} answered {status})")
        return 3
    missing = [name for name in ASK_FIELDS if f'name="{name}"' not in html]
    if missing:
        print(f"crash-safety: the ask form has no field(s) {missing}; update ASK_FIELDS")
        return 2

    specialty = os.environ.get("SPECIALTY_ID", "1")
    nonce = random.randrange(10**9)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    outcomes: Counter = Counter()

    def worker(number: int) -> None:
        local = _opener(jar)
        sent = 0
        with open(log_path, "a") as log:
            while time.monotonic() < deadline:
                sent += 1
                title = f"{PREFIX}{nonce}-{number}-{sent} a question about sleep"
                try:
                    status, page = _send(local, ask_url)
                    token = _token(page) if status == 200 else ""
                    if not token:
                        outcomes[f"form {status}"] += 1
                        time.sleep(0.2)
                        continue
                    status, _ = _send(
                        local,
                        ask_url,
                        {
                            "csrfmiddlewaretoken": token,
                            "nickname": "Crash",
                            "age_range": "30~39",
                            "sex": "undisclosed",
                            "specialty": specialty,
                            "title": title,
                            "body": "I sleep badly and wake up with a headache. Why?",
                            "tags": "sleep, headache",
                            "consent": "on",
                        },
                        headers={"Referer": ask_url},
                    )
                except OSError as error:  # connection reset by a killed worker, timeouts
                    with lock:
                        outcomes[type(error).__name__] += 1
                    continue
                with lock:
                    outcomes[status] += 1
                if status in (302, 303):
                    log.write(title + "\n")
                    log.flush()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        "crash-safety outcomes: "
        + ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items(), key=str))
    )
    return 0


def check(log_path: str) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    from questions.models import Question

    logged = [line for line in Path(log_path).read_text().splitlines() if line]
    stored = Counter(
        Question.objects.filter(title__startswith=PREFIX).values_list("title", flat=True)
    )
    missing = [title for title in logged if stored[title] == 0]
    twice = [title for title, count in stored.items() if count > 1]
    print(
        f"crash-safety: {len(logged)} successes logged, {sum(stored.values())} rows stored, "
        f"{len(missing)} logged but missing, {len(twice)} stored twice"
    )
    return 1 if missing or twice or not logged else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "run" and len(sys.argv) == 5:
        sys.exit(run(sys.argv[2].rstrip("/"), sys.argv[3], float(sys.argv[4])))
    if command == "check" and len(sys.argv) == 3:
        sys.exit(check(sys.argv[2]))
    print(__doc__)
    sys.exit(2)
