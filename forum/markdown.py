"""The one Markdown renderer: Markdown to HTML, then an allow-list sanitizer.

Articles and FAQs store the rendered HTML when they are saved (see
answers/actions.py), so pages never render Markdown on a request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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


def _safe_url(tag: str, attribute: str, value: str) -> str | None:
    """Links may go to https, http, mailto or our own pages; images only to https or /static/."""
    value = value.strip()
    if attribute == "href":
        scheme = urlsplit(value).scheme.lower()
        if scheme in {"http", "https", "mailto"}:
            return value
        if not scheme and not value.startswith("//"):
            return value
        return None
    if attribute == "src":
        if value.lower().startswith("https://") or value.startswith("/static/"):
            return value
        return None
    return value


def render_markdown(text: str) -> str:
    """Render Markdown to sanitized HTML safe to show on any page."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    # Headings inside an article sit under the page's own h1/h2.
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_safe_url,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
