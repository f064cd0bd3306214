"""Filters for the Q&A page: patients' and doctors' plain text, JSON-LD, article headings."""

from __future__ import annotations

import json
import re
from datetime import datetime

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

register = template.Library()

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n\s*")
TRAILING_PUNCTUATION = ".,;:!?'\"*"
LINK_REL = "nofollow ugc noopener"
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
HEADING_RE = re.compile(r"<(/?)h([1-6])\b")


def _split_url(candidate: str) -> tuple[str, str]:
    """Split trailing punctuation (and unbalanced closing brackets) off a found URL."""
    url, trailing = candidate, ""
    while url:
        last = url[-1]
        if last in TRAILING_PUNCTUATION:
            pass
        elif last == ")" and url.count("(") < url.count(")"):
            pass
        elif last == "]" and url.count("[") < url.count("]"):
            pass
        else:
            break
        url, trailing = url[:-1], last + trailing
    return url, trailing


def _linkify_line(line: str) -> str:
    parts, position = [], 0
    for match in URL_RE.finditer(line):
        url, trailing = _split_url(match.group(0))
        if "." not in url.split("//", 1)[-1]:
            continue
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        parts.append(escape(line[position : match.start()]))
        parts.append(f'<a href="{escape(href)}" rel="{LINK_REL}">{escape(url)}</a>')
        parts.append(escape(trailing))
        position = match.end()
    parts.append(escape(line[position:]))
    return "".join(parts)


@register.filter(is_safe=True)
def plaintext(text) -> SafeString:
    """Patient or doctor text as HTML: escaped, paragraphs and line breaks kept, links made
    clickable (http, https and www. only) with rel="nofollow ugc noopener"."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")
    paragraphs = PARAGRAPH_BREAK_RE.split(text)
    html = "\n".join(
        "<p>" + "<br>".join(_linkify_line(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return mark_safe(html)


@register.filter(is_safe=True)
def jsonld(data) -> SafeString:
    """A <script type="application/ld+json"> element holding `data`, safe inside HTML."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.filter(is_safe=True)
def shift_headings(html, levels: int = 2) -> SafeString:
    """Move the headings of already sanitized HTML down `levels` (at most to h6), so an
    article's sections sit under the page's own headings."""

    def lower(match: re.Match) -> str:
        return f"<{match.group(1)}h{min(6, int(match.group(2)) + int(levels))}"

    return mark_safe(HEADING_RE.sub(lower, str(html or "")))


# Dates on the Q&A page. Django's |date filter works through the localization machinery
# and costs several times a plain strftime; these two formats are all the page needs.


@register.filter
def ymd(value) -> str:
    """A date or datetime as YYYY/MM/DD, datetimes in the site's time zone."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = localtime(value)
    return value.strftime("%Y/%m/%d")


def _zone(value: datetime) -> str:
    """The offset of an aware datetime as readers know it: "UTC+8", "UTC+5:30", "UTC"."""
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


@register.filter
def ymdhm(value) -> str:
    """A datetime as YYYY/MM/DD HH:MM with its zone ("2026/11/17 11:27 UTC+8"), in the
    site's time zone: for the pages where the hour matters (moderation, the dashboard),
    read by people who may be elsewhere."""
    if not value:
        return ""
    value = localtime(value)
    return f"{value:%Y/%m/%d %H:%M} {_zone(value)}"


@register.filter
def hm(value) -> str:
    """A datetime's time of day with its zone ("11:27 UTC+8"), in the site's time zone."""
    if not value:
        return ""
    value = localtime(value)
    return f"{value:%H:%M} {_zone(value)}"


@register.filter
def iso(value) -> str:
    """A date or datetime in ISO 8601 for datetime="" attributes, in the site's time zone.

    Whole seconds: HTML's datetime values allow at most three digits of a fraction, and
    Python writes microseconds.
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        return localtime(value).isoformat(timespec="seconds")
    return value.isoformat()
