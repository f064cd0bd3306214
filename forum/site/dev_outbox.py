"""/dev/outbox/: the e-mails `make run` wrote to artifacts/outbox/, newest first, with
their links clickable - the sign-up confirmation among them.

Only with debug on and the file outbox configured (settings.DEV_OUTBOX, which `make run`
turns on with DJANGO_DEV_OUTBOX=1): forum/urls.py routes it only then, and the view
answers 404 otherwise. Django's file backend writes one file per connection, each
message followed by a line of 79 dashes.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEPARATOR = "\n" + "-" * 79 + "\n"
SHOWN = 50  # messages on the page
READ_BYTES = 2_000_000  # of the newest files, at most
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass
class Message:
    subject: str
    to: str
    date: str
    body: SafeString


def _linked(text: str) -> SafeString:
    """The text escaped, with every http(s) address a link."""
    parts, last = [], 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last : match.start()]))
        url = escape(match.group(0))
        parts.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def _plain_body(message) -> str:
    part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, KeyError):
        return part.get_payload(decode=True).decode("utf-8", "replace")


def read_outbox(folder: Path) -> list[Message]:
    """The newest SHOWN messages in `folder`, newest first (reading a bounded amount)."""
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    messages: list[Message] = []
    budget = READ_BYTES
    for path in files:
        if len(messages) >= SHOWN or budget <= 0:
            break
        raw = path.read_bytes()[:budget].decode("utf-8", "replace")
        budget -= len(raw)
        chunks = [chunk for chunk in raw.split(SEPARATOR) if chunk.strip()]
        for chunk in reversed(chunks):
            parsed = email.message_from_string(chunk, policy=email.policy.default)
            messages.append(
                Message(
                    subject=str(parsed.get("Subject", "")),
                    to=str(parsed.get("To", "")),
                    date=str(parsed.get("Date", "")),
                    body=_linked(_plain_body(parsed)),
                )
            )
    return messages[:SHOWN]


def outbox(request):
    if not getattr(settings, "DEV_OUTBOX", False) or not settings.DEBUG:
        raise Http404("No outbox here.")
    folder = Path(settings.EMAIL_FILE_PATH)
    return render(
        request, "forum/dev_outbox.html", {"messages_sent": read_outbox(folder), "folder": folder}
    )
