"""Three gunicorn workers, PostgreSQL, no Redis: the default production shape (issue 14).

Whatever must be shared between processes is: log-in throttles and allauth's rate limits
(password and TOTP code), used TOTP codes, the anonymous page cache and its versions all
live in the database cache, and sessions in the database. Every refusal below is
repeated until each worker has given it, and the access log says which worker answered.
The only setting beyond the default is DJANGO_TRUSTED_PROXY_COUNT=1, so that
X-Forwarded-For can play many client IPs.

Also here: with debug off and no mail settings gunicorn does not start at all (the
console backend would write reset links into the log stream).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

import pytest

from forum.log_format import log_path
from forum.tests.external import ROOT
from forum.tests.system.processes import (
    AppServer,
    HttpClient,
    Postgres,
    Response,
    app_env,
    csrf_token,
    free_port,
    gunicorn_command,
    shell,
)
from forum.tests.two_factor import totp

pytestmark = pytest.mark.system(needs=["postgres"])

WORKERS = 3
PASSWORD = "correct-horse-battery-9"
WRONG = "not-the-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
REPLAY_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLSNFSWY3DP"
REPLY_TEXT = "Hydration and rising slowly from bed usually help."

MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
INCORRECT_CODE = "Incorrect code."

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/2fa/authenticate/"
SIGNED_IN_ONLY = "/accounts/email/"
# Enough attempts for every worker to answer some: they take turns at random, and on a
# loaded machine one may sit out a long stretch (the loops stop as soon as all answered).
MAX_ATTEMPTS = 300

SEED = f"""
import json
from django.core.cache import caches
from forum.tests.system import seed
seed.patient("patient@example.org", {PASSWORD!r})
seed.patient("victim@example.org", {PASSWORD!r})
seed.moderator("moderator@example.org", {PASSWORD!r}, totp_secret={SECRET!r})
seed.moderator("replayed@example.org", {PASSWORD!r}, totp_secret={REPLAY_SECRET!r})
seed.moderator("hider@example.org", {PASSWORD!r})
seed.staff("staff@example.org", {PASSWORD!r})
question = seed.question("Why am I dizzy when I stand up?")
reply = seed.publish_reply(question.pk, {REPLY_TEXT!r})
print(json.dumps({{
    "cache": type(caches["default"]).__name__,
    "question_url": question.get_absolute_url(),
    "reply_pk": reply.pk,
}}))
"""

HIDE_REPLY = """
from answers.actions import hide_reply
from answers.models import Reply
from forum.models import User
hide_reply(
    reply=Reply.objects.get(pk={reply_pk}),
    moderator=User.objects.get(email="hider@example.org"),
    reason="Needs a source.",
)
print(Reply.objects.get(pk={reply_pk}).status)
"""


@dataclass
class Site:
    env: dict
    server: AppServer
    question_url: str
    reply_pk: int

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture(scope="module")
def site(static_root, tmp_path_factory):
    """One PostgreSQL and one gunicorn with three workers, shared by this module's tests."""
    logs = tmp_path_factory.mktemp("shared-state")
    postgres, server = Postgres(), None
    try:
        postgres.start()
        env = app_env(
            database_url=postgres.url, static_root=static_root, DJANGO_TRUSTED_PROXY_COUNT="1"
        )
        assert "REDIS_URL" not in env
        seeded = json.loads(shell(env, SEED, migrate=True))
        assert seeded["cache"] == "DatabaseCache"
        server = AppServer(env, logs / "app.log", workers=WORKERS).start()
        yield Site(env, server, seeded["question_url"], seeded["reply_pk"])
    finally:
        if server is not None:
            server.stop()
        postgres.remove()


def from_ip(ip: str) -> dict[str, str]:
    return {"X-Forwarded-For": ip}


def signed_in(site: Site, client: HttpClient) -> bool:
    return client.get(site.url(SIGNED_IN_ONLY)).status == 200


def throttled(response) -> bool:
    """Refused by the log-in throttle: the form's "too many" message, or allauth's 429
    page once its per-IP limit on log-in requests (30 a minute) is reached as well."""
    return TOO_MANY in response.text or response.status == 429


def refused_by_every_worker(site: Site, attempt, refused) -> set[int]:
    """Repeat attempt(n) until every worker has answered one; each answer must be refused."""
    workers = site.server.worker_pids()
    assert len(workers) == WORKERS
    answered: set[int] = set()
    for n in range(MAX_ATTEMPTS):
        response = attempt(n)
        assert refused(response), (n, response.worker, response.status, response.text[:300])
        answered.add(response.worker)
        if answered == workers:
            return answered
    raise AssertionError(f"only workers {answered} of {workers} answered {MAX_ATTEMPTS} attempts")


class LogIn:
    """The site's log-in form (allauth), posted from any IP with one CSRF token."""

    def __init__(self, site: Site):
        self.site = site
        self.client = HttpClient()
        self.token = csrf_token(self.client.get(site.url(LOGIN)))

    def post(self, login: str, password: str, ip: str) -> Response:
        data = {"csrfmiddlewaretoken": self.token, "login": login, "password": password}
        return self.site.server.send(
            lambda: self.client.request(self.site.url(LOGIN), data, headers=from_ip(ip)),
            "POST",
            LOGIN,
        )


def test_the_sixth_failed_log_in_from_one_ip_is_refused_by_every_worker(site):
    form, ip = LogIn(site), "203.0.113.10"
    checked = [form.post(f"nobody{n}@example.org", WRONG, ip) for n in range(5)]
    assert all(MISMATCH in response.text for response in checked)

    refused_by_every_worker(
        site,
        lambda n: form.post(f"somebody{n}@example.org", WRONG, ip),
        throttled,
    )
    right = form.post("patient@example.org", PASSWORD, ip)
    assert throttled(right)
    assert not signed_in(site, form.client)
    # Another IP is not affected.
    assert form.post("patient@example.org", PASSWORD, "203.0.113.11").status == 302
    assert signed_in(site, form.client)


def test_the_sixth_failed_log_in_to_one_account_from_many_ips_is_refused_by_every_worker(site):
    form = LogIn(site)
    for n in range(5):
        assert MISMATCH in form.post("victim@example.org", WRONG, f"198.51.100.{n + 1}").text

    refused_by_every_worker(
        site,
        lambda n: form.post("victim@example.org", WRONG, f"198.51.100.{n % 200 + 10}"),
        throttled,
    )
    right = form.post("victim@example.org", PASSWORD, "198.51.100.200")
    assert throttled(right)
    assert not signed_in(site, form.client)


def wrong_code(secret: str) -> str:
    """A six-digit code that is none of the codes accepted now (one step either way)."""
    accepted = {totp(secret, step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


class TwoFactorStep:
    """A log-in with the right password, waiting at allauth's two-factor step."""

    def __init__(self, site: Site, email: str, ip: str):
        self.site = site
        form = LogIn(site)
        self.client = form.client
        answer = form.post(email, PASSWORD, ip)
        assert answer.status == 302 and answer.headers["Location"] == TWO_FACTOR, answer.text[:300]
        self.token = csrf_token(self.client.get(site.url(TWO_FACTOR)))

    def post(self, code: str, ip: str) -> Response:
        data = {"csrfmiddlewaretoken": self.token, "code": code}
        return self.site.server.send(
            lambda: self.client.request(self.site.url(TWO_FACTOR), data, headers=from_ip(ip)),
            "POST",
            TWO_FACTOR,
        )


def test_the_sixth_wrong_totp_code_in_one_log_in_is_refused_by_every_worker(site):
    step = TwoFactorStep(site, "moderator@example.org", "192.0.2.1")
    wrong = wrong_code(SECRET)
    for n in range(5):  # each from its own IP: the limit is the account's
        assert INCORRECT_CODE in step.post(wrong, f"192.0.2.{n + 10}").text

    refused_by_every_worker(
        site,
        lambda n: step.post(wrong, f"192.0.2.{n % 130 + 20}"),
        throttled,
    )
    right = step.post(totp(SECRET), "192.0.2.100")
    assert throttled(right)
    assert not signed_in(site, step.client)
    assert step.client.get(site.url("/moderation/")).status != 200


def test_a_used_totp_code_is_refused_by_every_worker(site):
    first = TwoFactorStep(site, "replayed@example.org", "192.0.2.150")
    replay = TwoFactorStep(site, "replayed@example.org", "192.0.2.151")  # both at the code step
    code = totp(REPLAY_SECRET)
    assert first.post(code, "192.0.2.150").status == 302
    assert signed_in(site, first.client)

    refused_by_every_worker(
        site,
        lambda n: replay.post(code, f"192.0.2.{n % 90 + 160}"),
        lambda response: (
            response.status == 200
            and (INCORRECT_CODE in response.text or TOO_MANY in response.text)
        ),
    )
    assert not signed_in(site, replay.client)


def test_wrong_passwords_at_admin_login_leave_no_password_check_to_succeed(site):
    """A form posted straight to /admin/login/ (which sends everyone to the site log-in and
    checks no password) is no way round the throttle: after 5 wrong passwords the right
    one signs in on no worker, nor after 20."""
    client = HttpClient()
    token = csrf_token(client.get(site.url(LOGIN)))

    def admin_login(password: str) -> Response:
        data = {
            "csrfmiddlewaretoken": token,
            "username": "staff@example.org",
            "password": password,
            "next": "/admin/",
        }
        return site.server.send(
            lambda: client.request(
                site.url("/admin/login/"), data, headers=from_ip("203.0.113.50")
            ),
            "POST",
            "/admin/login/",
        )

    for _ in range(5):
        assert admin_login(WRONG).status != 500
    refused_by_every_worker(
        site,
        lambda n: admin_login(PASSWORD),
        lambda response: response.status != 500 and not signed_in(site, client),
    )
    for _ in range(15):  # 20 wrong passwords in all
        assert admin_login(WRONG).status != 500
    admin_login(PASSWORD)
    assert not signed_in(site, client)
    assert client.get(site.url("/admin/")).status != 200


def test_a_hidden_reply_is_gone_from_every_worker_on_the_next_request(site):
    def anonymous_load() -> Response:
        # No cookies, so the page cache may answer; every load here goes through send(),
        # which waits for the access line of this path as the log writes it (its slug
        # scrubbed): the module's other tests' GETs of other pages may still be logging.
        return site.server.send(
            lambda: HttpClient().get(site.url(site.question_url)),
            "GET",
            log_path(site.question_url)[0],
        )

    # Every worker renders the page once and then serves it from the page cache.
    workers, served = site.server.worker_pids(), {}
    for _ in range(MAX_ATTEMPTS):
        page = anonymous_load()
        assert page.status == 200 and REPLY_TEXT in page.text
        served[page.worker] = served.get(page.worker, 0) + 1
        if set(served) == workers and min(served.values()) >= 3:
            break
    assert set(served) == workers and min(served.values()) >= 3, served

    assert shell(site.env, HIDE_REPLY.format(reply_pk=site.reply_pk)) == "hidden"

    after = set()
    for loads in range(1, MAX_ATTEMPTS + 1):
        page = anonymous_load()
        assert page.status == 200
        assert REPLY_TEXT not in page.text, f"worker {page.worker} still shows the hidden reply"
        after.add(page.worker)
        if after == workers and loads >= 30:
            break
    assert after == workers, after


def test_gunicorn_does_not_start_with_debug_off_and_no_mail_settings(static_root, tmp_path):
    env = app_env(static_root=static_root, SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    del env["EMAIL_URL"]
    started = subprocess.run(
        gunicorn_command(free_port(), WORKERS),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode != 0
    output = started.stdout + started.stderr
    assert "forum.E002" in output and "EMAIL_URL" in output
