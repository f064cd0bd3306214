"""The one Markdown renderer: Markdown to HTML, then an allow-list sanitizer.

Articles and FAQs store the rendered HTML when they are saved (see
answers/actions.py), so pages never render Markdown on a request. The admin's
live preview calls the same function, so editors see exactly what readers get.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "strong", "em", "b", "i", "sub", "sup", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
LINK_SCHEMES = {"http", "https", "mailto"}

# A URL scheme as browsers read it: letters, digits, + . - before the first colon.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls or spaces around it,
# so "java\tscript:" is a javascript: URL; refuse any URL that holds them at all.
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def _safe_href(value: str) -> str | None:
    """http(s)/mailto links and paths on this site; nothing a browser could run or mis-read."""
    if "\\" in value:
        return None  # browsers read "/\evil.example" as "//evil.example"
    match = _SCHEME.match(value)
    if match:
        return value if match.group(1).lower() in LINK_SCHEMES else None
    if value.startswith("//") or ":" in value.split("/", 1)[0]:
        return None  # protocol-relative (off-site) or an ambiguous "a:b" first segment
    return value


def _safe_src(value: str) -> str | None:
    """Images come only from https or from our own static files."""
    if "\\" in value or ".." in value:
        return None
    if value.lower().startswith("https://") or value.startswith("/static/"):
        return value
    return None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute not in {"href", "src"}:
        return value
    value = value.strip()
    if not value or _CONTROL_OR_SPACE.search(value):
        return None
    return _safe_href(value) if attribute == "href" else _safe_src(value)


def render_markdown(text: str) -> str:
    """Render Markdown to sanitized HTML safe to show on any page."""
    # A fresh Markdown instance per call: instances keep state and are not thread-safe.
    html = markdown_lib.markdown(
        text or "",
        extensions=["tables", "sane_lists"],
        # Column alignment as align="" (allowed) rather than style="" (stripped).
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    # Headings inside an article sit under the page's own h1.
    html = _H1.sub(r"<\1h2", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
