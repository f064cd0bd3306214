import json
import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from forum.log_format import (
    PUBLIC_TEXT_ROUTES,
    SCRUBBED_ROUTES,
    GunicornJsonLogger,
    JsonFormatter,
    log_path,
    scrub_text,
)

ROOT = Path(__file__).resolve().parents[2]


def _record(message, *args, exc_info=None, **extra):
    record = logging.LogRecord("forum.test", logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    return record


def test_json_formatter_writes_one_parseable_line():
    line = JsonFormatter().format(_record("moderation action=%s", "approve", status_code=503))
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "forum.test"
    assert entry["message"] == "moderation action=approve"
    assert entry["status_code"] == 503
    assert entry["time"].endswith("+00:00")


def test_json_formatter_keeps_the_traceback_inside_the_line():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonFormatter().format(_record("failed", exc_info=sys.exc_info()))
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_json_formatter_drops_the_request_object_django_attaches():
    line = JsonFormatter().format(_record("Not Found", request=object(), status_code=404))
    assert set(json.loads(line)) == {"time", "level", "logger", "pid", "message", "status_code"}


def test_django_logs_json_lines_on_stdout():
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('forum.availability').error('database unavailable: %s', 'X')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="forum.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    entry = json.loads(result.stdout.strip())
    assert entry["message"] == "database unavailable: X"
    assert entry["logger"] == "forum.availability"
    assert result.stderr == ""


def test_gunicorn_access_line_is_json_without_the_query_string(capsys):
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornJsonLogger(cfg)
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/search/",
        "QUERY_STRING": "q=private+symptom",
        "RAW_URI": "/search/?q=private+symptom",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    logger.access(response, None, environ, timedelta(milliseconds=12.5))
    line = capsys.readouterr().out.strip()
    entry = json.loads(line)
    assert entry["path"] == "/search/"
    assert entry["status"] == 200
    assert entry["bytes"] == 5120
    assert entry["duration_ms"] == 12.5
    assert "private" not in line


# --- No patient text, secret key or client IP in gunicorn's lines (issue 14, finding 10) --

SECRET_SLUG = "my-wife-found-a-lump-in-her-breast"


def _access_line(capsys, path: str) -> tuple[str, dict]:
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornJsonLogger(cfg)
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    logger.access(response, None, environ, timedelta(milliseconds=3))
    line = capsys.readouterr().out.strip()
    return line, json.loads(line)


@pytest.mark.parametrize(
    "path,logged,route",
    [
        (f"/questions/41/{SECRET_SLUG}/", "/questions/41/<slug>/", "questions:detail"),
        ("/questions/41/頭痛三個月/", "/questions/41/<slug>/", "questions:detail"),
        (f"/questions/41/{SECRET_SLUG}/extra/", "/questions/41/<slug>/", "questions:detail"),
        (f"/questions/41/{SECRET_SLUG}", "/questions/41/<slug>/", "questions:detail"),
        ("/questions/tags/breast-lump/", "/questions/tags/<slug>/", "questions:tag"),
        (
            "/accounts/password/reset/key/3-cfx4ad-0e1b2c3d4e5f60718293a4b5c6d7e8f9/",
            "/accounts/password/reset/key/<key>/",
            "account_reset_password_from_key",
        ),
        (
            "/accounts/confirm-email/MQ:1u2v3w:abcdefghijklmnop/",
            "/accounts/confirm-email/<key>/",
            "account_confirm_email",
        ),
        (
            "/email/unsubscribe/eyJ1IjoxMiwidCI6ImFuc3dlcmVkIn0:1u2v3w:abcdefghijk/",
            "/email/unsubscribe/<key>/",
            "forum:unsubscribe",
        ),
    ],
)
def test_gunicorn_access_line_logs_route_and_id_not_the_slug_or_key(capsys, path, logged, route):
    line, entry = _access_line(capsys, path)
    assert (entry["path"], entry["route"]) == (logged, route)
    assert entry["message"] == f"GET {logged} 200"
    secret = path.rstrip("/").split("/")[-1 if "extra" not in path else -2]
    assert secret not in line


@pytest.mark.parametrize(
    "path",
    [
        "/questions/41/",
        "/questions/41/edit/",
        "/questions/new/41/",
        "/specialties/neurology/",
        "/doctors/lin-mei-hua/",
        "/doctor/questions/41/reply/",
        "/admin/questions/question/41/change/",
    ],
)
def test_gunicorn_access_line_keeps_paths_without_patient_text(capsys, path):
    _, entry = _access_line(capsys, path)
    assert entry["path"] == path
    assert "route" not in entry


def _routes_with_text_parameters():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner or None)
            elif isinstance(pattern, URLPattern):
                converters = getattr(pattern.pattern, "converters", {})
                regex_groups = pattern.pattern.regex.groupindex
                texts = [
                    name
                    for name in regex_groups
                    if type(converters.get(name)).__name__ != "IntConverter"
                ]
                if texts:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                    yield name, texts

    return list(walk(get_resolver().url_patterns, None))


def test_every_route_with_a_text_parameter_is_scrubbed_or_known_to_be_public():
    from django.urls import reverse

    routes = _routes_with_text_parameters()
    assert ("questions:detail", ["slug"]) in routes  # the walk sees the real URL conf
    scrubbed = {route for route, _, _ in SCRUBBED_ROUTES}
    for name, parameters in routes:
        if name.startswith("admin:"):
            continue  # object ids and app labels
        assert name in scrubbed or name in PUBLIC_TEXT_ROUTES, name
        if name in scrubbed:
            sample = {p: ("41" if p == "pk" else "private-words") for p in parameters}
            if "pk" not in parameters and name.startswith("questions:"):
                sample = {parameters[0]: "private-words"}
            kwargs = {**sample, **({"pk": 41} if name == "questions:detail" else {})}
            path = reverse(name, kwargs=kwargs)
            logged, route = log_path(path)
            assert "private-words" not in logged, (name, logged)
            assert route == name


def _error_logger():
    cfg = Config()
    cfg.set("errorlog", "-")
    return GunicornJsonLogger(cfg)


def test_gunicorn_invalid_request_line_has_a_pseudonym_not_the_ip(capsys):
    from django.test import RequestFactory

    from forum.security import client_ref

    logger = _error_logger()
    logger.warning(
        "Invalid request from ip=203.0.113.7: Invalid HTTP request line: "
        f"'GET /questions/41/{SECRET_SLUG}?q=hiv+test HTTP/1.1 extra'"
    )
    line = capsys.readouterr().out.strip()
    entry = json.loads(line)
    same_client = client_ref(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
    assert entry["message"] == (
        f"Invalid request from ip=ip:{same_client}: Invalid HTTP request line: "
        "'GET /questions/41/<slug>/ HTTP/1.1 extra'"
    )
    for secret in ("203.0.113.7", SECRET_SLUG, "hiv"):
        assert secret not in line


def test_gunicorn_error_with_traceback_has_no_ip_slug_or_query(capsys):
    logger = _error_logger()
    try:
        raise ConnectionError("peer 2001:db8:4:5::17 and 198.51.100.23 reset the connection")
    except ConnectionError:
        logger.exception("Error handling request %s %s", "GET", f"/questions/41/{SECRET_SLUG}/?q=x")
    line = capsys.readouterr().out.strip()
    entry = json.loads(line)
    assert entry["message"] == "Error handling request GET /questions/41/<slug>/"
    assert "ConnectionError: peer ip:" in entry["exception"]
    for secret in ("2001:db8", "198.51.100.23", SECRET_SLUG, "?q=x"):
        assert secret not in line


@pytest.mark.parametrize(
    "text,kept",
    [
        ("Listening at: http://127.0.0.1:8000 (4242)", "http://127.0.0.1:8000"),
        ("Listening at: http://0.0.0.0:8000 (4242)", "http://0.0.0.0:8000"),
        ("Booting worker with pid: 4243 at 12:30:45", "12:30:45"),
        ("Starting gunicorn 27.0.1", "27.0.1"),
    ],
)
def test_scrub_keeps_what_identifies_no_one(text, kept):
    assert scrub_text(text) == text
    assert kept in scrub_text(text)


@pytest.mark.parametrize(
    "address", ["203.0.113.7", "10.1.2.3", "2001:db8::17", "[2001:db8::17]:443", "fe80::1%eth0"]
)
def test_scrub_replaces_every_client_address(address):
    bare = address.strip("[]").split("]:")[0].split("%")[0]
    cleaned = scrub_text(f"connection from {address} refused")
    assert bare not in cleaned
    assert "connection from " in cleaned and "ip:" in cleaned


def test_django_lines_in_json_drop_the_slug_too():
    line = JsonFormatter().format(_record("Not Found: %s", f"/questions/41/{SECRET_SLUG}/"))
    assert json.loads(line)["message"] == "Not Found: /questions/41/<slug>/"


@pytest.mark.parametrize("text", ["a" * 100_000, "1." * 50_000, "a:" * 50_000, "/?" * 50_000])
def test_scrub_takes_linear_time_on_hostile_text(text):
    started = time.perf_counter()
    scrub_text(text)
    assert time.perf_counter() - started < 1.0


def tiny_app(environ, start_response):
    """A WSGI app for the gunicorn run below: no database, just a page."""
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not here"]


def test_a_real_gunicorn_logs_no_slug_and_no_query(tmp_path):
    import socket

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="test-only-secret-key-for-the-log-test-0123456789",
        WEB_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "-c", "forum/gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}",
                "forum.tests.test_log_format:tiny_app",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for_port(port, server)
        for request in (
            f"GET /questions/41/{SECRET_SLUG}/?q=hiv HTTP/1.1\r\nHost: x\r\n\r\n",
            f"GET /questions/41/{SECRET_SLUG}?q=hiv\r\nHost: x\r\n\r\n",  # no version
        ):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(request.encode())
                sock.recv(4096)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and log.read_text().count("/questions/41/") < 3:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    text = log.read_text()
    access = [e for e in lines if e["logger"] == "gunicorn.access"]
    assert [e["path"] for e in access] == ["/questions/41/<slug>/"]
    invalid = [e["message"] for e in lines if "Invalid request from ip=" in e["message"]]
    assert len(invalid) == 1 and "'GET /questions/41/<slug>/'" in invalid[0], text
    assert SECRET_SLUG not in text
    assert "hiv" not in text


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, server) -> None:
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def test_e_mail_redaction_of_log_lines_takes_linear_time():
    import time

    from forum.logfilters import redact

    for hostile in ["a" * 100_000, "a." * 50_000, "x@" + "a-" * 50_000, "a@" * 50_000]:
        started = time.perf_counter()
        redact(hostile)
        assert time.perf_counter() - started < 0.5, hostile[:10]
    assert redact("mail me: ann.lee+x@mail.example.org!") == "mail me: [e-mail removed]!"
