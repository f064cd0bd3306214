"""Template filters of the doctor and moderation pages."""

from __future__ import annotations

import re
from datetime import timedelta

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from answers.screening import screening_terms
from forum.language import is_han

register = template.Library()


def _mark(text: str, findings) -> str:
    html = escape(text or "")
    terms = screening_terms(findings or [])
    if terms:
        # Whole words only: a flagged "the" must not light up inside "then". Chinese has
        # no spaces between words, so a term with Han characters matches wherever it is.
        alternatives = "|".join(
            re.escape(escape(t)) if any(map(is_han, t)) else rf"(?<!\w){re.escape(escape(t))}(?!\w)"
            for t in terms
        )
        pattern = re.compile(rf"(?:{alternatives})", re.IGNORECASE)
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
    """A time span in words for people: "3 days 4 hours", "2 hours 5 minutes", "12 minutes"
    (in Chinese 「3 天 4 小時」)."""
    if value is None:
        return "\u2014"
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)

    def n_days(n: int) -> str:
        return ngettext("%(num)d day", "%(num)d days", n) % {"num": n}

    def n_hours(n: int) -> str:
        return ngettext("%(num)d hour", "%(num)d hours", n) % {"num": n}

    def n_minutes(n: int) -> str:
        return ngettext("%(num)d minute", "%(num)d minutes", n) % {"num": n}

    if days:
        return n_days(days) + (f" {n_hours(hours)}" if hours else "")
    if hours:
        return n_hours(hours) + (f" {n_minutes(minutes)}" if minutes else "")
    return n_minutes(minutes)


@register.filter
def patient(question) -> str:
    """Who asked, as the doctor and moderation pages name them: "Heihei, 30~39 year old
    female", or "Asked by New Dad about their child, 0~9 year old female" for someone
    else (Question.patient_description)."""
    return question.patient_description()


@register.filter
def lang_attr(language: str) -> str:
    """` lang="zh-Hant"` or ` lang="en"` for a block of content written in that language
    (questions and replies record it), so screen readers and fonts treat it right
    whatever the interface language; nothing when the language is not recorded."""
    tag = {"zh-hant": "zh-Hant", "en": "en"}.get((language or "").lower())
    return mark_safe(f' lang="{tag}"') if tag else ""  # one of two fixed values
