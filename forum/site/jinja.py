"""The Jinja2 environment (settings: TEMPLATES) of the public reading pages.

One template engine per family of pages, never two inside one page:

- Jinja2, templates/jinja2/ with its own base.html: the public reading pages - the Q&A
  page (the site's busiest, where Jinja2 renders in a fraction of the time Django's
  engine takes), home, search, specialty, public doctor profile, tag page, FAQ list;
- Django's engine, templates/ with its own base.html: the pages of an account or a
  role - asking, "my questions", the doctor's and the moderators' pages, allauth,
  admin - and the error pages, which any of them may end in.

Views need not know which: Django asks each engine in turn for a template name, and
each name lives under one engine's folder only (a view may still ask engines["jinja2"]
for a template it renders itself, as the Q&A page does).

The pieces both families share (header, flash messages, footer, pager) have one copy of
markup per engine, in includes/ under each folder; what they show comes from
forum/site/chrome.py, which the Django copies reach through forum/site/templatetags/site_chrome.py
and these through the globals `site_header()`, `site_footer()` and `pager()`; likewise
the icons of forum/site/icons.py, `icon("search")` and `specialty_icon(slug)`.

The other globals and filters stand in for the Django tags and filters the pages used:
`url()` for {% url %} (forum.reversing.fast_reverse), `static()` for {% static %}
(cached), `csrf_input` for {% csrf_token %} (from Django's backend), `_()`/`ngettext()`
for {% translate %} (the i18n extension with Django's gettext, `_()` remembered per
language), `|ymd` and `|iso` for |date:"Y/m/d" and |date:"c", `|excerpt` (questions'
cut by characters and sentence punctuation for Chinese), and Django's own truncatechars,
linebreaks, pluralize, urlencode and intcomma; plus the Q&A page's filters
(questions/templatetags/qa_page.py).
"""

import functools

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static
from django.utils import translation
from jinja2 import Environment, StrictUndefined, pass_context

from forum.reversing import fast_reverse
from forum.site import chrome, icons
from questions.templatetags import excerpts, qa_page


@functools.cache
def cached_static(path: str) -> str:
    """static(path), once per process: the storage's URLs (hashed names, read from the
    manifest when the process starts) do not change while it runs."""
    return static(path)


@receiver(setting_changed)
def _static_settings_changed(*, setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES"}:  # only tests change them
        cached_static.cache_clear()


# The templates' fixed strings translated once per process and language: the catalogs do
# not change while it runs, and a Q&A page asks for about sixty of them (Django's gettext
# takes 4-10 microseconds each, most of it finding the active catalog; a look-up here a
# fraction of that). Bounded, in case a template ever translates a variable.
TRANSLATIONS_KEPT = 20_000
_translated: dict[tuple[str, str], str] = {}


# The language a page is drawn in, put in its context by render_language() below when it
# starts: read there, not from Django's active language, for each of the page's strings.
RENDER_LANGUAGE = "render_language"


def render_language(request) -> dict:
    """A context processor of the Jinja2 engine: the active language when the page starts
    (a page is drawn in one language), so that its strings find it with a look-up in the
    context rather than a call of translation.get_language() each."""
    return {RENDER_LANGUAGE: translation.get_language()}


@pass_context
def cached_gettext(context, message: str) -> str:
    """translation.gettext(message) in the page's language, remembered. A template with no
    such context (one rendered without a request, a macro imported without context) asks
    for the active language."""
    language = context.get(RENDER_LANGUAGE)
    if language is None:
        language = translation.get_language()
    key = (language, message)
    found = _translated.get(key)
    if found is None:
        with translation.override(language):
            found = translation.gettext(message)
        if len(_translated) < TRANSLATIONS_KEPT:
            _translated[key] = found
    return found


@receiver(setting_changed)
def _translation_settings_changed(*, setting: str, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _translated.clear()


@pass_context
def site_header(context) -> chrome.Header:
    """forum.site.chrome.header for this page's viewer (as {% site_header %} does)."""
    return chrome.page_header(context)


def truncatechars(value, length: int) -> str:
    return defaultfilters.truncatechars(value, length)


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def pluralize(value, suffix: str = "s") -> str:
    return defaultfilters.pluralize(value, suffix)


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined  # a misspelt name fails loudly, in tests first
    options["keep_trailing_newline"] = True  # as Django's engine does
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(**options)
    env.install_gettext_callables(
        cached_gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=fast_reverse,
        static=cached_static,
        site_header=site_header,
        site_footer=chrome.footer,
        pager=chrome.pager,
        icon=icons.icon,
        specialty_icon=icons.specialty_icon,
    )
    env.filters.update(
        plaintext=qa_page.plaintext,
        jsonld=qa_page.jsonld,
        shift_headings=qa_page.shift_headings,
        ymd=qa_page.ymd,
        iso=qa_page.iso,
        truncatechars=truncatechars,
        excerpt=excerpts.excerpt,
        linebreaks=linebreaks,
        pluralize=pluralize,
        urlencode=defaultfilters.urlencode,
        intcomma=intcomma,
    )
    return env
