"""Lighthouse (npm, run on Debian's Chromium) on the pages a patient meets first, at
phone size: accessibility, best practices and SEO at 100, performance at least 95.

Each page's scores are printed (pytest -s shows them; CI keeps the JSON reports in
artifacts/lighthouse/).

Search results and the ask form tell search engines not to index them (internal search
results and a signed-in form are not pages for a search engine), so on those two the
"is-crawlable" audit is left out; every other SEO audit must pass there too.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from answers.tests.factories import ReplyFactory
from forum.tests.browser.support import CHROMIUM_ARGS
from forum.tests.external import CHROMIUM, LIGHTHOUSE, NODE, ROOT
from questions.search_index import refresh_question_document
from questions.tests.factories import TagFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.system(needs=["validators"]),
    pytest.mark.django_db(transaction=True),
]

REPORTS = ROOT / "artifacts" / "lighthouse"
THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def lighthouse(
    url: str, name: str, *, cookie: str = "", noindex: bool = False
) -> tuple[dict[str, int], dict[str, str]]:
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    command = [
        NODE,
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(THRESHOLDS),
        "--form-factor=mobile",  # Lighthouse's phone: 412x823, a slow 4G link and CPU
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
    ]
    if noindex:
        command.append("--skip-audits=is-crawlable")
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = run_lighthouse(command, report)
    # The page itself was measured, not a log-in page or an error it redirected to.
    assert result["finalDisplayedUrl"] == url, result["finalDisplayedUrl"]
    scores = {key: round(category["score"] * 100) for key, category in result["categories"].items()}
    failing = {
        audit["id"]: audit["title"]
        for audit in result["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
    }
    print(f"lighthouse {name}: {scores}")
    return scores, failing


def run_lighthouse(command: list[str], report: Path) -> dict:
    """Lighthouse's report for one page. A run in which Lighthouse itself fails (Chromium
    did not start, the DevTools protocol timed out: exit status 1 or a runtimeError in the
    report, never a low score) is tried once more; a second failure fails the test with
    Lighthouse's own message. Scores are never retried."""
    failures = []
    for _attempt in range(2):
        report.unlink(missing_ok=True)
        finished = subprocess.run(
            command,
            timeout=240,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
        )
        result = json.loads(report.read_text()) if report.exists() else {}
        error = result.get("runtimeError")
        if finished.returncode == 0 and result and not error:
            return result
        failures.append(
            f"exit {finished.returncode}, runtimeError {error}: {finished.stderr[-2000:]}"
        )
    pytest.fail("Lighthouse did not finish twice:\n" + "\n".join(failures))


@pytest.fixture
def answered(doctor, question):
    question.title = "Why do I wake up with a headache?"
    question.save()
    question.tags.add(TagFactory(name="headache"), TagFactory(name="sleep"))
    ReplyFactory(question=question, doctor=doctor)
    refresh_question_document(question.pk)
    question.refresh_from_db()
    return question


def assert_meets_thresholds(scores: dict[str, int], failing: dict[str, str]) -> None:
    below = {
        key: scores.get(key) for key, floor in THRESHOLDS.items() if scores.get(key, 0) < floor
    }
    assert not below, f"below {THRESHOLDS}: {below}; audits not passed: {failing}"


@pytest.mark.parametrize(
    "name, path, noindex",
    [
        ("home", lambda q: "/", False),
        ("question", lambda q: q.get_absolute_url(), False),
        ("search", lambda q: "/search/?q=headache", True),
    ],
)
def test_public_page_meets_the_lighthouse_thresholds(live_server, answered, name, path, noindex):
    scores = lighthouse(live_server.url + path(answered), name, noindex=noindex)
    assert_meets_thresholds(*scores)


def test_ask_form_meets_the_lighthouse_thresholds(
    live_server, client, patient, specialty, settings
):
    client.force_login(patient)
    name = settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    assert_meets_thresholds(
        *lighthouse(live_server.url + reverse("questions:ask"), "ask", cookie=cookie, noindex=True)
    )
