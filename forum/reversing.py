"""Fast URL reversing for the links every page repeats.

`django.urls.reverse()` walks the resolver on every call: 50-150 µs each on our
servers, and a Q&A page builds about 25 links (header, footer, tags, doctors,
Similar Q&A, FAQ). The URL patterns never change while a process runs, so
`fast_reverse` reverses a name once with placeholder arguments and fills later
calls in by string formatting, quoting the values as `reverse()` does. It is
for arguments that always match their pattern (primary keys, stored slugs):
unlike `reverse()` it does not check them. Jinja2 templates call it as `url()`.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.regex_helper import _lazy_re_compile

# reverse() leaves these characters unquoted in a path (RFC 3986 sub-delimiters, "/~:@").
SAFE = "!$&'()*+,;=/~:@"
# A value made only of characters quote() keeps as they are (the common case: slugs).
UNCHANGED_BY_QUOTE = re.compile(r"[A-Za-z0-9_.\-~!$&'()*+,;=/:@]*").fullmatch
PLACEHOLDER_RE = _lazy_re_compile(r"9{3}8(\d)8|zq(\d)qz")


def fast_reverse(name: str, **kwargs) -> str:
    """reverse(name, kwargs=kwargs) for arguments known to match the URL pattern."""
    prefix = get_script_prefix()
    if not kwargs:
        return _template(name, (), (), prefix)
    values = {}
    for key, value in kwargs.items():
        if type(value) is not int:
            value = str(value)
            if not UNCHANGED_BY_QUOTE(value):
                value = quote(value, safe=SAFE)
        values[key] = value
    names = tuple(kwargs)
    template = _template(name, names, tuple(type(v) is int for v in values.values()), prefix)
    return template.format_map(values)


@functools.cache
def _template(name: str, names: tuple[str, ...], is_int: tuple[bool, ...], prefix: str) -> str:
    # Placeholders that pass int and slug converters and cannot occur in a pattern's text.
    placeholders = {
        key: (int(f"9998{n}8") if integer else f"zq{n}qz")
        for n, (key, integer) in enumerate(zip(names, is_int, strict=True))
    }
    url = reverse(name, kwargs=placeholders).replace("{", "{{").replace("}", "}}")
    return PLACEHOLDER_RE.sub(lambda m: "{" + names[int(m.group(1) or m.group(2))] + "}", url)


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # only tests change it
        _template.cache_clear()
