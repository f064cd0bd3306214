"""Real processes for the system tests: a throwaway PostgreSQL (scripts/testpg.sh), Redis,
gunicorn app servers with production settings, `manage.py` calls and a tiny HTTP client.

Every server listens on 127.0.0.1 only and is stopped by the fixture that started it.
"""

from __future__ import annotations

import atexit
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from forum.tests.external import REDIS_SERVER, ROOT

TESTPG = str(ROOT / "scripts" / "testpg.sh")
SECRET_KEY = "system-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Postgres:
    """A throwaway PostgreSQL 15 cluster in its own folder and port."""

    def __init__(self, durable: bool = False):
        self.dir = tempfile.mkdtemp(prefix="forum-systempg.")
        self.port = free_port()
        self.env = {**os.environ, "TESTPG_DURABLE": "1" if durable else "0"}
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run([TESTPG, *args], check=True, env=self.env, timeout=90)

    def start(self) -> Postgres:
        self._run("start", self.dir, str(self.port))
        return self

    def checkpoint(self) -> None:
        """Write out everything committed so far: this cluster commits asynchronously
        (synchronous_commit = off), so the last moment's commits would not survive crash()."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")

    def crash(self) -> None:
        """pg_ctl stop -m immediate: every backend dies, the data stays."""
        self._run("crash", self.dir)

    def resume(self) -> None:
        self._run("resume", self.dir)

    def restart_immediately(self) -> None:
        self._run("restart", self.dir)

    def remove(self) -> None:
        subprocess.run([TESTPG, "stop", self.dir], check=False, timeout=90)


class Redis:
    """redis-server on a loopback port, in memory only."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> Redis:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: _port_open(self.port), 15, "redis-server")
        return self

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


_mail_dir: str | None = None


def mail_dir() -> str:
    """The folder the servers' e-mail is written to (EMAIL_URL=file://...), removed at exit."""
    global _mail_dir
    if _mail_dir is None:
        _mail_dir = tempfile.mkdtemp(prefix="forum-system-mail.")
        atexit.register(shutil.rmtree, _mail_dir, True)
    return _mail_dir


def app_env(*, database_url: str = "", static_root: str, **extra: str) -> dict[str, str]:
    """Production settings for an app server or manage.py, nothing from the test process.
    No REDIS_URL unless given: the cache is then the database's (the production default).
    Mail goes to files, as debug off needs a backend other than the console's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SQLITE_"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=static_root,
        EMAIL_URL=f"file://{mail_dir()}",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py with these settings; its stdout."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def shell(env: dict[str, str], code: str, migrate: bool = False) -> str:
    """Run Python in `manage.py shell` (after migrating, in the same process); its last line."""
    if migrate:
        code = "from django.core.management import call_command\n" + (
            "call_command('migrate', verbosity=0)\n" + code
        )
    lines = manage(env, "shell", "-c", code).strip().splitlines()
    return lines[-1] if lines else ""


def gunicorn_command(port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn",
        "-c", "forum/gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "forum.wsgi",
    ]  # fmt: skip


class AppServer:
    """gunicorn with forum/gunicorn.conf.py on a loopback port; its log in `log_path`."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 2):
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> AppServer:
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            gunicorn_command(self.port, self.workers),
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: self.process.poll() is not None or _port_open(self.port), 60, "gunicorn")
        assert self.process.poll() is None, self.log_path.read_text()
        wait_until(lambda: len(self.worker_pids()) == self.workers, 30, "gunicorn workers")
        return self

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return {int(pid) for pid in children.read_text().split()}
        except OSError:
            return set()

    def url(self, path: str) -> str:
        return self.base + path

    def access_log(self) -> list[dict]:
        """gunicorn's access lines so far, oldest first (each with the worker's pid)."""
        entries = []
        for line in self.log_path.read_text().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("logger") == "gunicorn.access":
                    entries.append(entry)
        return entries

    def send(self, request, method: str, path: str | None = None) -> Response:
        """Make one request (`request()`) and set its `worker`: the pid of the worker
        that answered, from the access line it logs just after answering. That line is
        the next one for `method` (and `path`, when given): other requests with those
        may still be logging theirs, so send every such request through here."""

        def answered() -> list[int]:
            return [
                entry["pid"]
                for entry in self.access_log()
                if entry["method"] == method and path in (None, entry["path"])
            ]

        before = len(answered())
        response = request()
        pids = wait_until(lambda: answered()[before:], 10, f"the access line of {method} {path}")
        assert len(pids) == 1, f"send() needs one {method} {path or ''} at a time"
        response.worker = pids[0]
        return response

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGINT is gunicorn's quick shutdown; SIGTERM waits for idle sync workers'
            # select() timeout, which only slows the tests down.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "log", None):
            self.log.close()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    worker: int | None = None  # the gunicorn worker's pid, found by AppServer.send()


def csrf_token(page: Response) -> str:
    """The CSRF token of the first form on the page."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpClient:
    """A cookie-keeping HTTP client that does not follow redirects (like a test client)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self,
        url: str,
        data: dict | None = None,
        timeout: float = 15,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        return Response(status, dict(headers.items()), raw.decode("utf-8", "replace"))

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        return self.request(url, headers=headers)

    def post_form(self, page_url: str, post_url: str | None, data: dict) -> Response:
        """GET the page for its CSRF token, then POST the form like a browser would."""
        page = self.get(page_url)
        assert page.status == 200, (page_url, page.status)
        return self.request(post_url or page_url, {"csrfmiddlewaretoken": csrf_token(page), **data})

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)


def collectstatic(static_root: str) -> None:
    """collectstatic with the production storage (hashed names, compressed copies)."""
    shutil.rmtree(static_root, ignore_errors=True)
    manage(app_env(static_root=static_root), "collectstatic", "--noinput")
