"""Fast URL reversing for the links every page repeats.

`django.urls.reverse()` walks the resolver on every call: 50-150 µs each on our
servers, and a Q&A page builds about 25 links (header, footer, tags, doctors,
Similar Q&A, FAQ). The URL patterns never change while a process runs, so
`fast_reverse` reverses a name once with placeholder arguments and fills later
calls in by string formatting, quoting the values as `reverse()` does. It is
for arguments that always match their pattern (primary keys, stored slugs):
unlike `reverse()` it does not check them. Jinja2 templates call it as `url()`;
`reverser` is the same for thousands of calls in a row (the sitemaps).

It uses only Django's public API; forum/tests/test_reversing.py holds every form of call
against `reverse()` itself, so a Django upgrade that quotes differently fails there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

# reverse() leaves these characters unquoted in a path (RFC 3986 sub-delimiters, "/~:@").
SAFE = "!$&'()*+,;=/~:@"
# A value made only of characters quote() keeps as they are (the common case: slugs).
UNCHANGED_BY_QUOTE = re.compile(r"[A-Za-z0-9_.\-~!$&'()*+,;=/:@]*").fullmatch
PLACEHOLDER_RE = re.compile(r"9{3}8(\d)8|zq(\d)qz")


def fast_reverse(name: str, **kwargs) -> str:
    """reverse(name, kwargs=kwargs) for arguments known to match the URL pattern."""
    prefix = get_script_prefix()
    language = get_language()
    if not kwargs:
        return _template(name, (), (), prefix, language)
    values = {}
    for key, value in kwargs.items():
        if type(value) is not int:
            value = str(value)
            if not UNCHANGED_BY_QUOTE(value):
                value = quote(value, safe=SAFE)
        values[key] = value
    names = tuple(kwargs)
    template = _template(
        name, names, tuple(type(v) is int for v in values.values()), prefix, language
    )
    return template.format_map(values)


def reverser(name: str, **kinds: type) -> Callable[..., str]:
    """fast_reverse(name, ...) for many calls with the same arguments, named with their
    types: `reverser("questions:detail", pk=int, slug=str)(pk=7, slug="cough")`. The
    template is found once, so each call only quotes and fills it in. The function keeps
    the script prefix and the language of when it was made: make one per request (and
    one per language, under translation.override)."""
    names = tuple(kinds)
    template = _template(
        name,
        names,
        tuple(kind is int for kind in kinds.values()),
        get_script_prefix(),
        get_language(),
    )
    quoted = tuple(key for key, kind in kinds.items() if kind is not int)

    def reverse_one(**kwargs) -> str:
        for key in quoted:
            value = str(kwargs[key])
            kwargs[key] = value if UNCHANGED_BY_QUOTE(value) else quote(value, safe=SAFE)
        return template.format_map(kwargs)

    return reverse_one


@functools.cache
def _template(
    name: str, names: tuple[str, ...], is_int: tuple[bool, ...], prefix: str, language: str | None
) -> str:
    # Per language too: a page's URL under i18n_patterns (forum/urls.py) carries the
    # active language's prefix ("/zh-hant/...", none for the default), which reverse()
    # reads from the active language. Placeholders that pass int and slug converters and
    # cannot occur in a pattern's text.
    placeholders = {
        key: (int(f"9998{n}8") if integer else f"zq{n}qz")
        for n, (key, integer) in enumerate(zip(names, is_int, strict=True))
    }
    url = reverse(name, kwargs=placeholders).replace("{", "{{").replace("}", "}}")
    return PLACEHOLDER_RE.sub(lambda m: "{" + names[int(m.group(1) or m.group(2))] + "}", url)


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs) -> None:
    # Only tests change them; the default language decides which language is unprefixed.
    if setting in {"ROOT_URLCONF", "LANGUAGE_CODE"}:
        _template.cache_clear()
