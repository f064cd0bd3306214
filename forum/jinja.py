"""The Jinja2 environment (settings: TEMPLATES), for the templates in templates/jinja2/.

Two things render with Jinja2, which compiles templates to Python and renders the
busiest of them in a fraction of the time Django's engine takes:

- the site chrome (header, flash messages, footer), one copy for every page: the Django
  templates' base.html includes it with {% chrome %} (forum/templatetags/chrome.py);
- the Q&A page, the site's busiest, whole (templates/jinja2/questions/).

Everything else stays in Django's engine. The globals and filters are the Django ones
these templates use: `url` (forum.reversing.fast_reverse, what {% fast_url %} calls),
`static`, `current_year` ({% now "Y" %}) and the Q&A page filters.
"""

from django.templatetags.static import static
from django.utils import timezone
from jinja2 import Environment, StrictUndefined

from forum.reversing import fast_reverse
from questions.templatetags import qa_page


def current_year() -> int:
    return timezone.localdate().year


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined  # a misspelt name fails loudly, in tests first
    options["keep_trailing_newline"] = True  # as Django's engine does
    env = Environment(**options)
    env.globals.update(url=fast_reverse, static=static, current_year=current_year)
    env.filters.update(
        plaintext=qa_page.plaintext,
        jsonld=qa_page.jsonld,
        shift_headings=qa_page.shift_headings,
        ymd=qa_page.ymd,
        iso=qa_page.iso,
    )
    return env
