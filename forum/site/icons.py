"""The site's icons: small line drawings of our own (24 x 24, stroked with the text's
colour), each defined once here and drawn inline by both template engines, as
{% icon "search" %} in Django templates (forum/site/templatetags/site_chrome.py) and
icon("search") in Jinja2 ones (forum/site/jinja.py). No icon font, no sprite request.

An icon is decoration beside words that say the same, so it is hidden from assistive
technology (aria-hidden) and never takes the place of a label. Its size follows the text
(`.icon` in static/css/site.css: 1.15em), its colour the text's (currentColor), so the
colour system's custom properties colour it like the words around it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# name: the SVG elements inside <svg viewBox="0 0 24 24">. Strokes only (fill none, round
# caps and joins, width 2, set once on the <svg>), so every icon has the same weight.
ICONS: dict[str, str] = {
    # Actions
    "ask": '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-5.1A8 8 0 1 1 21 12z"/>'
    '<path d="M13 8.5v7M9.5 12h7"/>',
    "reply": '<path d="M9 16l-5-5 5-5"/><path d="M4 11h9a7 7 0 0 1 7 7v1"/>',
    "thank": '<path d="M12 20s-7.5-4.6-7.5-10.2A4.2 4.2 0 0 1 12 7.3a4.2 4.2 0 0 1 7.5 2.5'
    'C19.5 15.4 12 20 12 20z"/>',
    "agree": '<path d="M7 10.5V20H4v-9.5z"/><path d="M7 10.5 11 3.6a2 2 0 0 1 3.6 1.6L13.5 10'
    'h5.2a2 2 0 0 1 2 2.4l-1.4 6a2 2 0 0 1-2 1.6H7"/>',
    "report": '<path d="M5 21V4"/><path d="M5 4h12l-2.5 4.5L17 13H5"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M20 20l-4.8-4.8"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13 7l4 4"/>',
    "link": '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/>'
    '<path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>',
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3.5 7 12 13l8.5-6"/>',
    "check": '<path d="M4.5 12.5l5 5 10-11"/>',
    # Specialties (SPECIALTY_ICONS below maps their slugs to these)
    "cross": '<path d="M9 3.5h6v5.5h5.5v6H15v5.5H9V15H3.5V9H9z"/>',
    "house": '<path d="M3 11.5 12 4l9 7.5"/><path d="M5.5 9.5V20h13V9.5"/>'
    '<path d="M12 11.5v5M9.5 14h5"/>',
    "stethoscope": '<path d="M6 3.5H5v5.5a4.5 4.5 0 0 0 9 0V3.5h-1"/>'
    '<path d="M9.5 13.5v1.5a5 5 0 0 0 10 0v-2"/><circle cx="19.5" cy="11" r="2"/>',
    "heart": '<path d="M12 20s-7.5-4.6-7.5-10.2A4.2 4.2 0 0 1 12 7.3a4.2 4.2 0 0 1 7.5 2.5'
    'C19.5 15.4 12 20 12 20z"/><path d="M7.5 12h2.5l1-2 2 4 1-2h2.5"/>',
    "brain": '<path d="M12 5.5a3 3 0 0 0-5.6-1A3 3 0 0 0 4.5 9a3.2 3.2 0 0 0 .6 5.6A3 3 0 0 0 8 19'
    'a2.8 2.8 0 0 0 4 .5z"/><path d="M12 5.5a3 3 0 0 1 5.6-1A3 3 0 0 1 19.5 9a3.2 3.2 0 0 1-.6 '
    '5.6A3 3 0 0 1 16 19a2.8 2.8 0 0 1-4 .5"/>',
    "skin": '<rect x="3.5" y="4.5" width="17" height="15" rx="3"/><circle cx="9" cy="10" r="1.5"/>'
    '<circle cx="15" cy="13.5" r="2"/><circle cx="9.5" cy="15.5" r=".5"/>',
    "baby": '<circle cx="12" cy="13" r="7.5"/><path d="M12 5.5a2.2 2.2 0 0 1 2.2-2.2"/>'
    '<path d="M9.5 12h.01M14.5 12h.01"/><path d="M10 15.5a3 3 0 0 0 4 0"/>',
    "venus": '<circle cx="12" cy="9" r="5.5"/><path d="M12 14.5V21M9 18h6"/>',
    "bone": '<path d="M9 15l6-6"/><path d="M6 13.5a2 2 0 1 0 1.2 3.3 2 2 0 1 0 3.3-1.2L9 15"/>'
    '<path d="M18 10.5a2 2 0 1 0-1.2-3.3 2 2 0 1 0-3.3 1.2L15 9"/>',
    "eye": '<path d="M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z"/>'
    '<circle cx="12" cy="12" r="3"/>',
    "ear": '<path d="M7 9.5a5 5 0 0 1 10 0c0 3.5-3.5 4.2-3.5 7.5a3 3 0 0 1-6 0"/>'
    '<path d="M10 9.5a2 2 0 0 1 4 0c0 1.2-1 1.7-1.8 2.3"/>',
    "mind": '<path d="M9 21v-3H7a2 2 0 0 1-2-2v-2.5L3 12l2-3a7 7 0 0 1 14 1.5'
    'c0 2.8-1.5 4.4-3 5.7V21"/>'
    '<path d="M12 13.5s-2.8-1.6-2.8-3.3a1.4 1.4 0 0 1 2.8-.4 1.4 1.4 0 0 1 2.8.4'
    'c0 1.7-2.8 3.3-2.8 3.3z"/>',
    "stomach": '<path d="M10 3v3.5a2 2 0 0 0 2 2h1.5a5.5 5.5 0 0 1 5.5 5.5 6.5 6.5 0 0 1-6.5 6.5H9'
    'a5 5 0 0 1-5-5v-1.5"/><path d="M9 15.5a3 3 0 0 0 3 1.5"/>',
    "drop": '<path d="M12 3.5s-6 6.8-6 11a6 6 0 0 0 12 0c0-4.2-6-11-6-11z"/>',
    "butterfly": '<path d="M12 7v11"/><path d="M12 9.5C10 6 4.5 6 4.5 10.5S9 17 12 15'
    'M12 9.5C14 6 19.5 6 19.5 10.5S15 17 12 15"/>',
    "lungs": '<path d="M12 4v7.5M12 10l-2.5 2M12 10l2.5 2"/><path d="M9 7.5C6 7.5 4 12.5 4 17'
    'a2 2 0 0 0 2.8 1.9L9 18z"/><path d="M15 7.5c3 0 5 5 5 9.5a2 2 0 0 1-2.8 1.9L15 18z"/>',
    "kidney": '<path d="M15 4c-4.5 0-8.5 3.3-8.5 8s4 8 8.5 8c2.6 0 4-1.8 4-3.8s-3-2.2-3-4.2'
    ' 3-2.2 3-4.2S17.6 4 15 4z"/>',
    "joint": '<path d="M4.5 4.5 9.8 9.8M14.2 14.2l5.3 5.3"/><circle cx="12" cy="12" r="3"/>'
    '<path d="M4 8.5 8.5 4M15.5 20l4.5-4.5"/>',
    "microbe": '<circle cx="12" cy="12" r="5"/><path d="M12 3v4M12 17v4M3 12h4M17 12h4'
    'M5.6 5.6l2.9 2.9M15.5 15.5l2.9 2.9M5.6 18.4l2.9-2.9M15.5 8.5l2.9-2.9"/>',
    "ribbon": '<path d="M7.5 20.5 14.3 9.2a3.5 3.5 0 1 0-4.6 0l1.4 2.3M12.9 14.5l3.6 6"/>',
    "walking": '<circle cx="12" cy="4.5" r="2"/>'
    '<path d="M12 8v6M7.5 11h9M12 14l-3 6.5M12 14l3 6.5"/>',
    "tooth": '<path d="M7.5 3.5c-2.3 0-3.5 1.8-3.5 4 0 3 1.2 4.2 1.7 7.2.5 3.2 1.2 6.3 2.6 6.3'
    " 1.6 0 1.5-5.5 3.7-5.5s2.1 5.5 3.7 5.5c1.4 0 2.1-3.1 2.6-6.3.5-3 1.7-4.2 1.7-7.2 0-2.2-1.2-4"
    '-3.5-4-2.1 0-2.6 1-4.5 1s-2.4-1-4.5-1z"/>',
    "apple": '<path d="M12 7.5c-2-1.5-7.5-1.7-7.5 4 0 5.2 3.4 10.3 7.5 8.3 4.1 2 7.5-3.1 7.5-8.3'
    ' 0-5.7-5.5-5.5-7.5-4z"/><path d="M12 7.5c0-2.2 1-3.6 3-4.2"/>',
    "shield": '<path d="M12 3l7.5 3v6c0 4.6-3.2 7.8-7.5 9-4.3-1.2-7.5-4.4-7.5-9V6z"/>'
    '<path d="M12 8.5v7M8.5 12h7"/>',
    "siren": '<path d="M7 18v-5a5 5 0 0 1 10 0v5"/><path d="M5 18h14v3H5zM12 3v2'
    'M4.2 6.5l1.6 1.2M19.8 6.5l-1.6 1.2"/>',
    "scalpel": '<path d="M3.5 20.5 11 13"/><path d="M11 13 19 5a4.2 4.2 0 0 1-1.8 6.2L13 15.5z"/>',
}

SPECIALTY_ICONS: dict[str, str] = {
    "family-medicine": "house",
    "internal-medicine": "stethoscope",
    "cardiology": "heart",
    "neurology": "brain",
    "dermatology": "skin",
    "pediatrics": "baby",
    "obstetrics-and-gynecology": "venus",
    "orthopedics": "bone",
    "ophthalmology": "eye",
    "otolaryngology-ent": "ear",
    "psychiatry": "mind",
    "gastroenterology": "stomach",
    "urology": "drop",
    "endocrinology": "butterfly",
    "pulmonology": "lungs",
    "nephrology": "kidney",
    "rheumatology": "joint",
    "infectious-diseases": "microbe",
    "oncology": "ribbon",
    "rehabilitation-medicine": "walking",
    "dentistry": "tooth",
    "nutrition": "apple",
    "allergy-and-immunology": "shield",
    "emergency-medicine": "siren",
    "general-surgery": "scalpel",
}
SPECIALTY_FALLBACK = "cross"  # a specialty added later, before it has a drawing

_SVG = (
    '<svg class="icon{extra}" viewBox="0 0 24 24" width="24" height="24" fill="none" '
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
    'aria-hidden="true" focusable="false">{body}</svg>'
)

_drawn: dict[tuple[str, str], SafeString] = {}


def icon(name: str, css_class: str = "") -> SafeString:
    """The inline <svg> of icon `name` (KeyError for a name not in ICONS: a typo fails
    the page's tests rather than drawing nothing)."""
    key = (name, css_class)
    found = _drawn.get(key)
    if found is None:
        extra = f" {escape(css_class)}" if css_class else ""
        found = _drawn[key] = mark_safe(_SVG.format(extra=extra, body=ICONS[name]))  # noqa: S308 - our own constants
    return found


def specialty_icon(slug: str, css_class: str = "") -> SafeString:
    """The icon of the specialty with this slug (the cross for one without a drawing)."""
    name = SPECIALTY_ICONS.get(slug, SPECIALTY_FALLBACK)
    return icon(name, f"icon-specialty {css_class}".strip())
