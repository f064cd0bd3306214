"""Crash safety under write load: every ask the client was told succeeded is stored, once.

bench/load.sh runs it against gunicorn + a durable PostgreSQL (fsync and synchronous
commit on) and, while it runs, restarts PostgreSQL with `pg_ctl restart -m immediate`
and `kill -9`s a gunicorn worker:

    python bench/crash_safety.py run BASE_URL LOG_FILE SECONDS    # HTTP only
    python bench/crash_safety.py check LOG_FILE                   # against DATABASE_URL

`run` logs each of its threads in as one of the bench patients (PATIENT_EMAILS, made by
bench/prepare.py), then the threads GET and POST the ask form (ASK_URL, the fields of
questions/forms.py AskForm) with unique titles; each success answer (a redirect to the
confirmation page /questions/new/<pk>/) is appended to LOG_FILE at once, as
"<title>\t<pk>". Other answers are counted by kind: the friendly 503 while the database
is down (or the ask form's own 503 that keeps the text, when it dropped mid-submit) and
connection errors from the killed worker; anything else fails the run. `check` compares
LOG_FILE with the questions table: a logged title missing from the table (or stored
under another id), or a title stored twice, is a failure (exit 1).
"""

from __future__ import annotations

import http.cookiejar
import operator
import os
import random
import re
import string
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from functools import reduce
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "crash-"
THREADS = int(os.environ.get("CRASH_THREADS", "4"))
ASK_FIELDS = [
    "nickname",
    "subject",
    "age_range",
    "sex",
    "specialty",
    "title",
    "body",
    "tags",
    "consent",
]
SUCCESS = re.compile(r"^/questions/new/(\d+)/$")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(jar):
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _send(opener, url, data=None, headers=None):
    """(status, body, Location header) of one request, redirects not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        return error.code, error.read().decode("utf-8", "replace"), location


def _token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _log_in(base: str, email: str):
    """An opener with a logged-in session of `email`, or None."""
    opener = _opener(http.cookiejar.CookieJar())
    _, html, _ = _send(opener, base + "/accounts/login/")
    status, _, _ = _send(
        opener,
        base + "/accounts/login/",
        {
            "csrfmiddlewaretoken": _token(html),
            "login": email,
            "password": os.environ["BENCH_PASSWORD"],
        },
    )
    return opener if status == 302 else None


def run(base: str, log_path: str, seconds: float) -> int:
    emails = os.environ.get("PATIENT_EMAILS", "bench-patient-1@example.org").split(",")
    openers = [_log_in(base, emails[n % len(emails)]) for n in range(THREADS)]
    if None in openers:
        print("crash-safety: log-in failed")
        return 2
    ask_url = base + os.environ.get("ASK_URL", "/questions/new/")
    status, html, _ = _send(openers[0], ask_url)
    if status != 200:
        print(f"crash-safety: the ask form ({ask_url}) answered {status}")
        return 3
    missing = [name for name in ASK_FIELDS if f'name="{name}"' not in html]
    if missing:
        print(f"crash-safety: the ask form has no field(s) {missing}; update ASK_FIELDS")
        return 2

    specialty = os.environ.get("SPECIALTY_ID", "1")
    # Letters only, so the screening never mistakes a title for a phone or ID number.
    nonce = "".join(random.choices(string.ascii_lowercase, k=8))
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    outcomes: Counter = Counter()

    def worker(number: int) -> None:
        opener = openers[number]
        sent = 0
        with open(log_path, "a") as log:
            while time.monotonic() < deadline:
                sent += 1
                title = f"{PREFIX}{nonce} {number} {sent} a question about sleep"
                try:
                    status, page, _ = _send(opener, ask_url)
                    token = _token(page) if status == 200 else ""
                    if not token:
                        with lock:
                            outcomes[f"form {status}"] += 1
                        time.sleep(0.2)
                        continue
                    status, page, location = _send(
                        opener,
                        ask_url,
                        {
                            "csrfmiddlewaretoken": token,
                            "nickname": "Crash",
                            "subject": "self",
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
                        outcomes[f"connection lost ({type(error).__name__})"] += 1
                    continue
                success = SUCCESS.match(location) if status == 302 else None
                if success:
                    log.write(f"{title}\t{success.group(1)}\n")
                    log.flush()
                    kind = "stored (302)"
                elif status == 503 and "We could not save your question" in page:
                    kind = "503, form kept"
                elif status == 503:
                    kind = "503"
                else:
                    kind = f"{status} {location}".strip()
                with lock:
                    outcomes[kind] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("crash-safety outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    expected = ("stored", "503", "form 503", "connection lost")
    unexplained = [kind for kind in outcomes if not kind.startswith(expected)]
    if unexplained:
        print(f"crash-safety: unexpected answers {unexplained}")
        return 1
    return 0


def check(log_path: str) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    from django.db.models import Q

    from questions.models import Question

    logged = [line.split("\t") for line in Path(log_path).read_text().splitlines() if line]
    # Only this run's questions: their titles start with PREFIX and the run's nonce.
    runs = {title.split(" ", 1)[0] + " " for title, _ in logged}
    this_run = Question.objects.filter(
        reduce(operator.or_, (Q(title__startswith=run) for run in runs), Q(pk__in=[]))
    )
    stored = Counter(this_run.values_list("title", flat=True))
    ids = dict(this_run.values_list("title", "pk"))
    missing = [title for title, pk in logged if stored[title] == 0 or str(ids[title]) != pk]
    twice = [title for title, count in stored.items() if count > 1]
    unlogged = sum(stored.values()) - len(logged)
    print(
        f"crash-safety: {len(logged)} successes logged, {sum(stored.values())} rows stored, "
        f"{len(missing)} logged but missing, {len(twice)} stored twice, {unlogged} stored "
        "without a success answer (the answer was lost with the worker or the connection)"
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
