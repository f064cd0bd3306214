"""{{ text|excerpt:180 }}: text cut to a length for lists, feeds and meta descriptions,
at characters and sentence punctuation in Chinese (questions.search_text.truncate)."""

from django import template

from questions.search_text import truncate

register = template.Library()


@register.filter
def excerpt(value, length) -> str:
    """At most `length` characters of `value`, "…" included; Django's truncatechars for
    English, cut after 。！？ or between characters in Chinese."""
    try:
        length = int(length)
    except (TypeError, ValueError):
        return str(value)
    return truncate(str(value or ""), max(length, 1))
