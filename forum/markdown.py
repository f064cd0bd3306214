"""The one Markdown renderer: Markdown to HTML, an allow-list sanitizer, then a tidy pass.

The sanitizer (nh3) decides what is safe; the tidy pass (``_Tidy``) makes what is left
valid HTML: an image whose source was refused becomes its alt text, a link whose
target was refused becomes its text, empty links and paragraphs go, a list item
outside a list becomes a paragraph, and table alignment becomes a class (``align`` is
obsolete). Both passes read the input once (linear time).

Articles and FAQs store the rendered HTML when they are saved (see
answers/actions.py), so pages never render Markdown on a request. The admin's
live preview calls the same function, so editors see exactly what readers get.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

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


_VOID = frozenset({"br", "hr", "img"})
_DROP_WHEN_EMPTY = frozenset({"a", "p"})
_ALIGN_CLASSES = {"left": "text-left", "right": "text-right", "center": "text-center"}


class _Tidy(HTMLParser):
    """Re-serialize sanitized HTML so that what remains is valid, not only harmless."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        # One entry per open element: (name written or None if unwrapped, index in out,
        # whether any text or element was written inside it).
        self.stack: list[list] = []

    def _mark_content(self) -> None:
        # Marked entries are always the bottom of the stack, so stop at the first one:
        # each entry is marked once, which keeps the pass linear however deep the nesting.
        for entry in reversed(self.stack):
            if entry[2]:
                break
            entry[2] = True

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            if not attributes.get("src"):
                self.handle_data(attributes.get("alt") or "")
                return
            attributes.setdefault("alt", "")
        elif tag == "a" and not attributes.get("href"):
            self.stack.append([None, len(self.out), False])
            return
        elif tag == "li" and (not self.stack or self._open_name() not in {"ul", "ol"}):
            tag = "p"
        elif tag in {"td", "th"} and "align" in attributes:
            align = _ALIGN_CLASSES.get((attributes.pop("align") or "").lower())
            if align:
                attributes["class"] = align
        rendered = "".join(
            f' {name}="{escape(value or "", quote=True)}"' for name, value in attributes.items()
        )
        self._mark_content()
        self.out.append(f"<{tag}{rendered}>")
        if tag not in _VOID:
            self.stack.append([tag, len(self.out) - 1, False])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _open_name(self) -> str | None:
        for name, _index, _content in reversed(self.stack):
            if name is not None:
                return name
        return None

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        wanted = "p" if tag == "li" else tag
        for position in range(len(self.stack) - 1, -1, -1):
            name = self.stack[position][0]
            if name == tag or (name == wanted and tag == "li") or (name is None and tag == "a"):
                break
        else:
            return  # an end tag with nothing open to close: drop it
        while len(self.stack) > position:
            name, index, has_content = self.stack.pop()
            if name is None:
                continue
            if name in _DROP_WHEN_EMPTY and not has_content:
                del self.out[index:]  # only whitespace since the start tag
                continue
            self.out.append(f"</{name}>")

    def handle_data(self, data):
        if data.strip():
            self._mark_content()
        if data:
            self.out.append(escape(data, quote=False))

    def close(self) -> str:
        super().close()
        while self.stack:
            name, _index, _content = self.stack.pop()
            if name is not None:
                self.out.append(f"</{name}>")
        return "".join(self.out)


def _tidy(html: str) -> str:
    parser = _Tidy()
    parser.feed(html)
    return parser.close()


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
    safe = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return _tidy(safe)
