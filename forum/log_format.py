"""Structured log lines: one JSON object per line, for Django and for gunicorn.

Log lines never carry question text, e-mail addresses, query strings (search terms are
health data) or session ids: the access log has the path only.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

from gunicorn import glogging

# Extra attributes Django and our code attach to records that are safe to log.
SAFE_EXTRAS = ("status_code",)


def _timestamp(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message (and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        for key in SAFE_EXTRAS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_text:
            # Already formatted (and cleaned of personal data by forum.logfilters).
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class GunicornJsonLogger(glogging.Logger):
    """gunicorn's logger with JSON access and error lines, both on stdout."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if getattr(handler, "_gunicorn", False):
                handler.setFormatter(JsonFormatter())
                if isinstance(handler, logging.StreamHandler) and cfg.errorlog == "-":
                    handler.setStream(sys.stdout)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        entry = {
            "time": datetime.now(tz=UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "pid": os.getpid(),
            "message": f"{method} {path} {status}",
            "method": method,
            "path": path,
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))
