"""The Jinja2 environment (settings: TEMPLATES), for the templates in templates/jinja2/.

Two things render with Jinja2, which compiles templates to Python and renders the
busiest of them in a fraction of the time Django's engine takes:

- the site chrome (header, flash messages, footer), one copy for every page: the Django
  templates' base.html includes it with {% chrome %} (forum/templatetags/chrome.py);
- the Q&A page, the site's busiest, whole (templates/jinja2/questions/).

Everything else stays in Django's engine. The globals and filters are the Django ones
these templates use: `url` (forum.reversing.fast_reverse, what {% fast_url %} calls),
`static` (cached), `current_year` ({% now "Y" %}) and the Q&A page filters.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils import timezone
from jinja2 import Environment, StrictUndefined

from forum.reversing import fast_reverse
from questions.templatetags import qa_page


def current_year() -> int:
    return timezone.localdate().year


@functools.cache
def cached_static(path: str) -> str:
    """static(path), once per process: the storage's URLs (hashed names, read from the
    manifest when the process starts) do not change while it runs."""
    return static(path)


@receiver(setting_changed)
def _static_settings_changed(*, setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES"}:  # only tests change them
        cached_static.cache_clear()


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined  # a misspelt name fails loudly, in tests first
    options["keep_trailing_newline"] = True  # as Django's engine does
    env = Environment(**options)
    env.globals.update(url=fast_reverse, static=cached_static, current_year=current_year)
    env.filters.update(
        plaintext=qa_page.plaintext,
        jsonld=qa_page.jsonld,
        shift_headings=qa_page.shift_headings,
        ymd=qa_page.ymd,
        iso=qa_page.iso,
    )
    return env
