"""Logging filters. Imported by LOGGING at start-up, so no models here."""

from __future__ import annotations

import logging
import re

EMAIL_RE = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    return EMAIL_RE.sub("[e-mail removed]", text)


class RewriteRecord(logging.Filter):
    """Rewrite a record's message and traceback with `rewrite` before any handler writes
    them. Subclasses name the rewrite."""

    @staticmethod
    def rewrite(text: str) -> str:
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.rewrite(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.rewrite(record.exc_text)
        return True


class RedactPersonalData(RewriteRecord):
    """Last line of defence on the log handlers: e-mail addresses in a message
    or a traceback (e.g. an SMTP server's refusal quotes the recipient) are
    replaced before the line is written. Our own log calls never pass personal
    data; this catches third-party messages and exception texts."""

    rewrite = staticmethod(redact)
