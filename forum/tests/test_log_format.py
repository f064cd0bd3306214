import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from forum.log_format import GunicornJsonLogger, JsonFormatter

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
