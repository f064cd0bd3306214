"""Stop PostgreSQL under a running gunicorn: friendly 503s, then recovery without a restart.

Starts its own PostgreSQL (scripts/testpg.sh) and gunicorn with production settings, so
it does not disturb the suite's database. Runs where PostgreSQL's binaries exist.
"""

import json
import re

import pytest

from forum.tests.system.processes import (
    HttpClient,
    app_env,
    csrf_token,
    shell,
    wait_until,
)

pytestmark = pytest.mark.system(needs=["postgres"])

PATIENT = {"login": "patient@example.org", "password": "a-long-system-test-password"}
TYPED = {
    "nickname": "Nightowl",
    "subject": "self",
    "age_range": "30~39",
    "sex": "female",
    "title": "Pounding headaches since I started night shifts",
    "body": "Since I began night shifts I wake up with a headache behind my eyes.",
    "tags": "shift work, headache",
    "consent": "on",
}

MAKE_ANSWERED_QUESTION = f"""
from forum.tests.system import seed
seed.patient({PATIENT["login"]!r}, {PATIENT["password"]!r})
question = seed.question("Why am I dizzy when I stand up?")
seed.publish_reply(question.pk, "Drink water and rest.")
print(question.get_absolute_url())
"""


def test_pages_answer_503_while_postgres_is_down_and_recover_without_a_restart(
    postgres, static_root, start_app
):
    env = app_env(database_url=postgres.url, static_root=static_root)
    question_url = shell(env, MAKE_ANSWERED_QUESTION, migrate=True)
    app = start_app(env, workers=2)
    client = HttpClient()
    pages = ["/", "/questions/tags/no-such-tag/"]

    assert client.get(app.url("/healthz")).status == 200
    assert "Drink water and rest." in client.get(app.url(question_url)).text
    login_page = client.get(app.url("/accounts/login/"))
    assert login_page.status == 200
    patient = HttpClient()
    assert patient.post_form(app.url("/accounts/login/"), None, PATIENT).status == 302
    ask_page = patient.get(app.url("/questions/new/"))
    assert ask_page.status == 200
    typed = {
        **TYPED,
        "specialty": re.search(r'<option value="(\d+)">Neurology<', ask_page.text)[1],
    }
    workers = app.worker_pids()

    postgres.checkpoint()  # keep the patient's session row (the log-in just committed)
    postgres.crash()
    for _ in range(2):  # each request may land on either worker
        health = client.get(app.url("/healthz"))
        assert health.status == 503
        assert json.loads(health.text)["database"] == "unreachable"
        for path in pages:
            down = client.get(app.url(path))
            assert down.status == 503, (path, down.status)
            assert "We will be right back" in down.text
            assert down.headers["Retry-After"] == "30"
        # The worker that served the Q&A page above keeps answering it from its page
        # cache (anonymous readers lose nothing); the other worker has no copy: 503.
        read = client.get(app.url(question_url))
        if read.status == 200:
            assert "Drink water and rest." in read.text
        else:
            assert read.status == 503 and "We will be right back" in read.text
    log_in = client.request(
        app.url("/accounts/login/"),
        {"csrfmiddlewaretoken": csrf_token(login_page), "login": "a@example.org", "password": "x"},
    )
    assert log_in.status == 503
    assert "We will be right back" in log_in.text
    # A patient who presses Send now gets the form back with what they typed.
    kept = patient.request(
        app.url("/questions/new/"), {"csrfmiddlewaretoken": csrf_token(ask_page), **typed}
    )
    assert kept.status == 503 and kept.headers["Retry-After"] == "30"
    assert "Your text is still here" in kept.text
    assert typed["body"] in kept.text and f'value="{typed["title"]}"' in kept.text

    postgres.resume()
    wait_until(lambda: client.get(app.url("/healthz")).status == 200, 15, "/healthz 200")
    for _ in range(3):
        assert client.get(app.url("/healthz")).status == 200
        for path in [pages[0], question_url]:
            assert client.get(app.url(path)).status == 200, path
    sent = patient.request(
        app.url("/questions/new/"), {"csrfmiddlewaretoken": csrf_token(kept), **typed}
    )
    assert sent.status == 302 and re.fullmatch(r"/questions/new/\d+/", sent.headers["Location"])
    assert app.process.poll() is None
    assert app.worker_pids() == workers  # neither the server nor a worker restarted

    lines = [json.loads(line) for line in app.log_path.read_text().splitlines() if line]
    statuses = {line.get("status") for line in lines if line["logger"] == "gunicorn.access"}
    assert {200, 503} <= statuses
    assert any(line["message"].startswith("database unavailable") for line in lines)
    assert TYPED["body"] not in app.log_path.read_text()
