"""Template filters of the doctor and moderation pages."""

from __future__ import annotations

import re
from datetime import timedelta

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from answers.screening import screening_terms

register = template.Library()


def _mark(text: str, findings) -> str:
    html = escape(text or "")
    terms = screening_terms(findings or [])
    if terms:
        # Whole words only: a flagged "the" must not light up inside "then".
        alternatives = "|".join(re.escape(escape(t)) for t in terms)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return html


@register.filter
def mark_findings(text: str, findings) -> str:
    """Escape the text, wrap what screening found in <mark>, and keep paragraphs."""
    html = _mark(text, findings)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", html.strip()) if p]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))  # escaped in _mark


@register.filter
def mark_findings_inline(text: str, findings) -> str:
    """Like mark_findings, for one line such as a title."""
    return mark_safe(_mark(text, findings))  # escaped in _mark


@register.filter
def duration(value: timedelta | None) -> str:
    """A time span in words for people: "3 days 4 hours", "2 hours 5 minutes", "12 minutes"."""
    if value is None:
        return "\u2014"
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute")
