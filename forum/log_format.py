"""Structured log lines: one JSON object per line, for Django and for gunicorn.

Log lines never carry question text, e-mail addresses, query strings (search terms are
health data), session ids or client IP addresses:

- a path is logged without its query string, and the segment made of patient text (a
  question's title slug, a tag name a patient may have typed) is replaced by "<slug>"
  (a secret key in an account link by "<key>"): the route and the id stay, the words
  go (`log_path`);
- an IP address anywhere in a line (gunicorn's "Invalid request from ip=...", a worker's
  error, a traceback) becomes "ip:<pseudonym>", the keyed hash forum.security logs for
  the client, so lines can still be correlated (`scrub_text`).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime

from gunicorn import glogging

from forum.logfilters import EMAIL_RE, RewriteRecord

# Extra attributes Django and our code attach to records that are safe to log.
SAFE_EXTRAS = ("status_code",)

SLUG = "<slug>"
KEY = "<key>"

# The routes whose path carries words a patient wrote (questions/urls.py) or a secret
# (allauth's e-mail confirmation and password-reset keys, the unsubscribe token): (route
# name, the path up to that segment, the placeholder). Whatever follows the segment (a
# stray part on a 404) goes with it. The other routes with a text parameter name public
# things the site or a verified doctor chose (PUBLIC_TEXT_ROUTES), or admin objects by
# id. A test (forum/tests/test_log_format.py) fails when a route is in none of these lists.
SCRUBBED_ROUTES = [
    ("questions:detail", re.compile(r"(/questions/\d+/)(?!edit/?\Z)[^/]+(?:/.*)?", re.S), SLUG),
    ("questions:tag", re.compile(r"(/questions/tags/)[^/]+(?:/.*)?", re.S), SLUG),
    ("account_confirm_email", re.compile(r"(/accounts/confirm-email/)[^/]+(?:/.*)?", re.S), KEY),
    (
        "account_reset_password_from_key",
        re.compile(r"(/accounts/password/reset/key/)[^/]+(?:/.*)?", re.S),
        KEY,
    ),
    # The signed one-click unsubscribe token (forum/mail.py): whoever holds it can change
    # that person's e-mail settings.
    ("forum:unsubscribe", re.compile(r"(/email/unsubscribe/)[^/]+(?:/.*)?", re.S), KEY),
]
PUBLIC_TEXT_ROUTES = (
    "forum:specialty",
    "forum:doctor",
    "forum:specialty-feed-rss",
    "forum:specialty-feed-atom",
    "sitemap-section",
    # The kind of item reported ("question", "reply"): forum.Report.Kind.
    "answers:report",
    "answers:report-decide",
)

# Linear-time patterns (bounded or non-overlapping quantifiers): they run on every log
# line, whatever a client sent.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\d|\.\d)")
IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[\w.-]{1,15})?")
# A URL (its path is checked like any other), then a path standing on its own: one that
# follows a space, a quote, "=" or "(", not a word ("and/or") or another path.
URL = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]{0,15}://[^\s/'\"<>]{0,300})(/[^\s'\"<>]*)?")
PATH = re.compile(r"(?<![\w:/.%~-])/[^\s'\"<>]*")
# The same linear e-mail pattern the log handlers' filter uses.
EMAIL = EMAIL_RE


def log_path(path: str | None) -> tuple[str, str | None]:
    """(the path to log, the route name when a segment was taken out of it): no query
    string, no patient text, no secret key."""
    path = (path or "").split("?", 1)[0]
    for route, pattern, placeholder in SCRUBBED_ROUTES:
        match = pattern.fullmatch(path)
        if match:
            return f"{match[1]}{placeholder}/", route
    return path, None


def ip_ref(value: str) -> str:
    """What a log line shows for an IP address: "ip:" and forum.security's pseudonym of
    the client (an IPv6 address counts by its /64, as the throttles count it).
    Loopback and unspecified addresses (127.0.0.1, 0.0.0.0, ::) identify no one and are
    kept, so "Listening at: http://127.0.0.1:8000" still reads. ValueError if `value`
    is not an address."""
    address = ipaddress.ip_address(value.split("%", 1)[0])
    if address.is_loopback or address.is_unspecified:
        return value
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    try:
        return f"ip:{_client_pseudonym(str(address))}"
    except Exception:  # no Django settings yet (gunicorn's master before the app loads)
        return "ip:redacted"


@functools.lru_cache(maxsize=4096)
def _client_pseudonym(address: str) -> str:
    # Imported here: this module is loaded by LOGGING, before Django is set up.
    from forum.security import _pseudonym

    return _pseudonym("client", address)


def _ipv4(match: re.Match) -> str:
    return ip_ref(match.group())


def _ipv6(match: re.Match) -> str:
    text = match.group()
    # "ip=::1: Invalid request": the colon after an address is punctuation.
    for candidate, rest in ((text, ""), (text[:-1], text[-1:])):
        try:
            return ip_ref(candidate) + rest
        except ValueError:
            continue
    return text  # a time of day ("12:30:45"), not an address


def _url(match: re.Match) -> str:
    return match.group(1) + (log_path(match.group(2))[0] if match.group(2) else "")


def _path(match: re.Match) -> str:
    return log_path(match.group())[0]


def scrub_text(text: str) -> str:
    """`text` with IP addresses pseudonymised, paths stripped of query strings and of
    patient text, and e-mail addresses removed."""
    text = IPV4.sub(_ipv4, text)
    text = IPV6.sub(_ipv6, text)
    text = URL.sub(_url, text)
    text = PATH.sub(_path, text)
    return EMAIL.sub("[e-mail removed]", text)


class ScrubRecord(RewriteRecord):
    """Rewrite a record's message and traceback with scrub_text before any handler
    writes it (gunicorn's error log: its text comes from clients and third parties)."""

    rewrite = staticmethod(scrub_text)


def _timestamp(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message (and traceback),
    each passed through scrub_text whatever filters the handler has."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": scrub_text(record.getMessage()),
        }
        for key in SAFE_EXTRAS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_text:
            # Already formatted (and cleaned of personal data by forum.logfilters).
            entry["exception"] = scrub_text(record.exc_text)
        elif record.exc_info:
            entry["exception"] = scrub_text(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = scrub_text(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class GunicornJsonLogger(glogging.Logger):
    """gunicorn's logger with JSON access and error lines, both on stdout, scrubbed."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # The access line is built below from scrubbed parts; the error log quotes
        # clients (request lines, addresses) and third-party code.
        if not any(isinstance(f, ScrubRecord) for f in self.error_log.filters):
            self.error_log.addFilter(ScrubRecord())
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
        method = environ.get("REQUEST_METHOD")
        path, route = log_path(environ.get("PATH_INFO"))
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
        if route:
            entry["route"] = route
        self.access_log.info(json.dumps(entry, ensure_ascii=False))
