"""One template engine per family of pages: the public reading pages are Jinja2, the
account, role and error pages Django's. The pieces both share (header, footer, flash
messages, pager) have one copy per engine drawn from forum/site/chrome.py, so every role
sees the same header and footer on both families."""

import re
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.paginator import Paginator
from django.template import engines
from django.template.backends.jinja2 import Template as Jinja2Template
from django.template.base import Template as DjangoTemplate
from django.test import RequestFactory
from django.urls import reverse

from answers.tests.factories import FAQFactory, ReplyFactory
from forum.tests.factories import UserFactory
from forum.tests.two_factor import sign_in
from questions.tests.factories import QuestionFactory, TagFactory

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+')
SITE_HEADER = re.compile(r'<header class="site-header">.*?</header>', re.S)
SITE_FOOTER = re.compile(r'<footer class="site-footer">.*?</footer>', re.S)


def _same_token(html: str) -> str:
    # Every rendering masks the CSRF token afresh; the language switcher's `next` is the
    # page it is on.
    html = re.sub(r'(name="next" value=")[^"]*"', r"\1…", html)
    return CSRF_VALUE.sub(r"\1…", html)


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _engine(response) -> str:
    """Which engine drew the page: the first template rendered is the view's."""
    first = response.templates[0]
    if isinstance(first, Jinja2Template):
        return "jinja2"
    assert isinstance(first, DjangoTemplate), first
    return "django"


@pytest.fixture(params=["anonymous", "patient", "doctor", "moderator", "editor", "staff"])
def viewer(request, db):
    """(role, user)"""
    role = request.param
    if role == "anonymous":
        return role, AnonymousUser()
    if role == "doctor":
        return role, request.getfixturevalue("doctor").user
    if role == "staff":
        return role, UserFactory(email="staff@example.org", is_staff=True)
    return role, request.getfixturevalue(role)


LINKS = {
    "anonymous": ["Ask a doctor", "Log in", "Sign up"],
    "patient": [
        "Ask a doctor",
        "My questions",
        "Apply as a doctor",
        "Account",
        "E-mail settings",
        "Log out",
    ],
    "doctor": ["Ask a doctor", "My questions", "Dashboard", "Account", "E-mail settings"],
    "moderator": ["Ask a doctor", "My questions", "Apply as a doctor", "Moderation", "Log"],
    "editor": ["Ask a doctor", "My questions", "Apply as a doctor", "Admin", "Log out"],
    "staff": ["Ask a doctor", "My questions", "Apply as a doctor", "Admin", "Log out"],
}
NOT_SHOWN = {
    "anonymous": ["My questions", "Dashboard", "Moderation", "Admin", "E-mail settings", "Log out"],
    "patient": ["Log in", "Dashboard", "Moderation", "Admin"],
    "doctor": ["Log in", "Apply as a doctor", "Moderation", "Admin"],
    "moderator": ["Log in", "Dashboard", "Admin"],
    "editor": ["Log in", "Dashboard", "Moderation"],
    "staff": ["Log in", "Dashboard", "Moderation"],
}


def test_both_families_show_every_role_the_same_header_and_footer(client, viewer, doctor):
    tag = TagFactory(name="Migraine", slug="migraine")
    question = QuestionFactory(title="Headache every morning", tags=[tag])
    ReplyFactory(question=question, doctor=doctor)
    role, user = viewer
    if role != "anonymous":
        sign_in(client, user)  # with two-factor for the moderator, the editor and staff
    # A Jinja2 page and a Django page every role of this kind can open.
    public = client.get(tag.get_absolute_url())
    own = client.get(reverse("account_login" if role == "anonymous" else "account_email"))
    assert public.status_code == own.status_code == 200
    assert (_engine(public), _engine(own)) == ("jinja2", "django")
    for page in (public, own):
        assert '<html lang="en">' in page.text
        assert '<a class="skip-link" href="#main">Skip to content</a>' in page.text
        assert '<main id="main" class="container" tabindex="-1">' in page.text
    headers = [_same_token(SITE_HEADER.search(page.text).group(0)) for page in (public, own)]
    footers = [SITE_FOOTER.search(page.text).group(0) for page in (public, own)]
    assert headers[0] == headers[1]
    assert footers[0] == footers[1]
    header = headers[0]
    for text in LINKS[role]:
        assert f">{text}<" in header
    for text in NOT_SHOWN[role]:
        assert f">{text}<" not in header
    assert ('name="csrfmiddlewaretoken"' in header) is (role != "anonymous")
    assert 'id="medical-disclaimer"' in footers[0]
    assert f'<a href="{reverse("answers:faqs")}">FAQ</a>' in footers[0]


PUBLIC_PAGES = ["forum:home", "forum:search", "answers:faqs"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_reading_pages_are_jinja2(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _engine(response) == "jinja2"
    assert all(isinstance(t, Jinja2Template) for t in response.templates)


@pytest.mark.django_db
def test_the_other_public_reading_pages_are_jinja2(client, doctor, specialty):
    tag = TagFactory(slug="cough")
    question = QuestionFactory(specialty=specialty, tags=[tag])
    ReplyFactory(question=question, doctor=doctor)
    for url in (
        specialty.get_absolute_url(),
        doctor.get_absolute_url(),
        tag.get_absolute_url(),
        question.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _engine(response) == "jinja2", url


@pytest.mark.django_db
def test_account_and_error_pages_are_django(client, patient):
    assert _engine(client.get(reverse("account_login"))) == "django"
    assert _engine(client.get("/no-such-page/")) == "django"  # 404.html
    client.force_login(patient)
    for name in ("questions:mine", "questions:ask", "answers:apply"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert _engine(response) == "django", name


def _request(user=None, messages=()):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    for level, text in messages:
        request._messages.add(level, text)
    return request


def _render(engine: str, source: str, context: dict, request=None) -> str:
    return engines[engine].from_string(source).render(context, request)


def test_both_copies_of_the_flash_messages_show_them_the_same_way():
    shown = {}
    for engine in ("django", "jinja2"):
        request = _request(
            messages=[(constants.SUCCESS, "Sent & waiting <now>"), (constants.ERROR, "No")]
        )
        shown[engine] = _render(engine, '{% include "includes/messages.html" %}', {}, request)
    assert _squeeze(shown["django"]) == _squeeze(shown["jinja2"])
    assert (
        '<p class="message message-success">Sent &amp; waiting &lt;now&gt;</p>' in shown["jinja2"]
    )
    assert '<p class="message message-error">No</p>' in shown["jinja2"]


@pytest.mark.parametrize("engine", ["django", "jinja2"])
def test_the_header_escapes_the_search_query_it_shows(engine):
    page = _render(
        engine,
        '{% include "includes/header.html" %}',
        {"search_query": '"><script>alert(1)</script>'},
        _request(),
    )
    assert "<script>alert(1)" not in page
    assert "&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert ">Log in<" in page


PAGER_CALLS = {
    "django": '{% include "includes/pagination.html" with newest_first=newest_first label=label %}',
    "jinja2": '{% from "includes/pagination.html" import pagination %}'
    "{{ pagination(page_obj, query_string, newest_first=newest_first, label=label) }}",
}


@pytest.mark.parametrize(
    ("newest_first", "label", "words"),
    [(True, "", ("Newer", "Older")), (False, "Result pages", ("Previous", "Next"))],
)
def test_both_copies_of_the_pager_draw_the_same_links(newest_first, label, words):
    page = Paginator(list(range(50)), 20).page(2)
    context = {
        "page_obj": page,
        "query_string": "q=a%26b&specialty=neurology",
        "newest_first": newest_first,
        "label": label,
    }
    drawn = {engine: _render(engine, call, dict(context)) for engine, call in PAGER_CALLS.items()}
    assert _squeeze(drawn["django"]) == _squeeze(drawn["jinja2"])
    html = drawn["jinja2"]
    assert f'aria-label="{label or "Pages"}"' in html
    before, after = words
    assert (
        f'<a rel="prev" href="?q=a%26b&amp;specialty=neurology&amp;page=1">&larr; {before}</a>'
        in html
    )
    assert (
        f'<a rel="next" href="?q=a%26b&amp;specialty=neurology&amp;page=3">{after} &rarr;</a>'
        in html
    )
    assert "<span>Page 2 of 3</span>" in html


@pytest.mark.parametrize("engine", ["django", "jinja2"])
def test_the_pager_keeps_no_query_string_when_there_is_none_and_hides_for_one_page(engine):
    first = Paginator(list(range(30)), 20).page(1)
    html = _render(
        engine,
        PAGER_CALLS[engine],
        {"page_obj": first, "query_string": "", "newest_first": True, "label": ""},
    )
    assert '<a rel="next" href="?page=2">Older &rarr;</a>' in html
    assert 'rel="prev"' not in html
    only = Paginator(list(range(5)), 20).page(1)
    html = _render(
        engine,
        PAGER_CALLS[engine],
        {"page_obj": only, "query_string": "", "newest_first": True, "label": ""},
    )
    assert "pagination" not in html


# The Django tags and filters the public pages used, and their Jinja2 stand-ins: the same
# value through both gives the same text.
SAME_OUTPUT = [
    ('{{ when|date:"Y/m/d" }}', "{{ when|ymd }}"),
    ('{{ day|date:"Y/m/d" }}', "{{ day|ymd }}"),
    ("{{ text|truncatechars:12 }}", "{{ text|truncatechars(12) }}"),
    ("{{ text|linebreaks }}", "{{ text|linebreaks }}"),
    ("{{ text|urlencode }}", "{{ text|urlencode }}"),
    ("{% load humanize %}{{ n|intcomma }}", "{{ n|intcomma }}"),
    (
        "question{{ n|pluralize }} match{{ n|pluralize:'es,' }}",
        "question{{ n|pluralize }} match{{ n|pluralize('es,') }}",
    ),
    (
        "question{{ one|pluralize }} match{{ one|pluralize:'es,' }}",
        "question{{ one|pluralize }} match{{ one|pluralize('es,') }}",
    ),
    ("{% url 'questions:tag' slug='back-pain' %}", "{{ url('questions:tag', slug='back-pain') }}"),
    ("{% load static %}{% static 'css/site.css' %}", "{{ static('css/site.css') }}"),
    ("{% now 'Y' %}", "{{ site_footer().copyright[:4] }}"),
    (
        "{{ text|length }} {{ html|safe }} {{ text|lower }}",
        "{{ text|length }} {{ html|safe }} {{ text|lower }}",
    ),
]


@pytest.mark.parametrize(("django_source", "jinja2_source"), SAME_OUTPUT)
def test_jinja2_stand_ins_give_what_the_django_filters_gave(settings, django_source, jinja2_source):
    settings.TIME_ZONE = "Asia/Taipei"
    context = {
        # 16:30 UTC is the next day in Taipei: both must show the local date.
        "when": datetime(2026, 3, 4, 16, 30, 5, 120, tzinfo=UTC),
        "day": date(2026, 3, 4),
        "text": "Headache & 頭痛 every\nmorning\n\nfor a week / 50% worse?",
        "html": "<em>kept</em>",
        "n": 1234567,
        "one": 1,
    }
    django = _render("django", django_source, dict(context))
    jinja2 = _render("jinja2", jinja2_source, dict(context))
    assert django == jinja2
    assert django.strip()


def test_both_engines_write_datetime_attributes_with_one_filter_in_whole_seconds(settings):
    # Django's date:"c" writes microseconds, which HTML's datetime values refuse, so both
    # families use questions' iso filter for <time datetime>.
    settings.TIME_ZONE = "Asia/Taipei"
    context = {"when": datetime(2026, 3, 4, 16, 30, 5, 120, tzinfo=UTC)}
    django = _render("django", "{% load qa_page %}{{ when|iso }}", dict(context))
    jinja2 = _render("jinja2", "{{ when|iso }}", dict(context))
    assert django == jinja2 == "2026-03-05T00:30:05+08:00"


def test_jinja2_csrf_input_is_what_csrf_token_draws():
    request = _request()
    django = _render("django", "{% csrf_token %}", {}, request)
    jinja2 = _render("jinja2", "{{ csrf_input }}", {}, request)
    assert _same_token(django) == _same_token(jinja2)
    assert 'type="hidden" name="csrfmiddlewaretoken"' in jinja2


@pytest.fixture
def translations_on(settings):
    """USE_I18N on for one test (the site runs with it off): Django picks its gettext
    functions once, so the choice is forgotten before and after."""
    from django.utils.translation import _trans

    settings.USE_I18N = True
    _trans.__dict__.clear()
    yield
    _trans.__dict__.clear()


def test_jinja2_translates_with_djangos_gettext(translations_on):
    from django.utils import translation

    with translation.override("zh-hant"):
        html = _render(
            "jinja2",
            '{{ _("This field is required.") }} '
            '{{ ngettext("%(num)d apple", "%(num)d apples", 3) }}',
            {},
        )
    assert html == "這個欄位是必須的。 3 apples"


def test_jinja2_translations_escape_the_values_they_take():
    html = _render("jinja2", '{{ _("Thank Dr. %(name)s", name=name) }}', {"name": "<b>Lin</b>"})
    assert html == "Thank Dr. &lt;b&gt;Lin&lt;/b&gt;"


@pytest.mark.django_db
def test_a_faq_page_still_shows_each_faq_with_its_specialty_link(client, specialty):
    FAQFactory(question="What's a migraine?", answer="It is **bad**.", specialty=specialty)
    page = client.get(reverse("answers:faqs")).text
    assert "What&#39;s a migraine?" in page
    assert f'<a href="{specialty.get_absolute_url()}">Neurology</a>' in page


def test_both_bases_offer_the_blocks_pages_fill_in():
    from django.conf import settings

    blocks = re.compile(r"{% block (\w+) %}")
    names = {
        engine: blocks.findall((settings.BASE_DIR / folder / "base.html").read_text())
        for engine, folder in (("django", "templates"), ("jinja2", "templates/jinja2"))
    }
    expected = ["title", "meta_description", "canonical", "extra_head", "content", "scripts"]
    assert names["django"] == names["jinja2"] == expected


def test_jinja2_translations_follow_the_active_language_each_time(client, question, doctor):
    """The Jinja2 pages' translated strings are remembered per language: one language's
    page never shows the other's words, in any order of visits."""
    from forum.i18n import url_in_language

    ReplyFactory(question=question, doctor=doctor)
    english_url = question.get_absolute_url()
    chinese_url = url_in_language(english_url, "zh-hant")
    for url, shown, absent in [
        (english_url, "Similar Q&amp;A", "相關問答"),
        (chinese_url, "相關問答", "Similar Q&amp;A"),
        (english_url, "Similar Q&amp;A", "相關問答"),
        (chinese_url, "相關問答", "Similar Q&amp;A"),
    ]:
        client.cookies.clear()
        html = client.get(url).content.decode()
        assert shown in html, url
        assert absent not in html, url


def test_remembered_translations_are_djangos(settings):
    from django.template import engines
    from django.utils import translation

    env = engines["jinja2"].env
    template = env.from_string("{{ _(message) }}")
    messages = ["Similar Q&A", "Related FAQ", "Log in", "not a catalog entry"]
    for language in ["en", "zh-hant"]:
        with translation.override(language):
            for message in messages:
                expected = translation.gettext(message)
                # Without the page's language in the context: the active one.
                assert template.render(message=message) == expected
                assert template.render(message=message) == expected  # remembered
        # With it (as every page drawn for a request has), whatever is active.
        for message in messages:
            with translation.override("en"):
                drawn = template.render(message=message, render_language=language)
            with translation.override(language):
                assert drawn == translation.gettext(message)


def test_a_page_is_drawn_in_the_language_of_its_request(client):
    from django.template import engines
    from django.test import RequestFactory
    from django.utils import translation

    template = engines["jinja2"].from_string("{{ render_language }} {{ _('Related FAQ') }}")
    with translation.override("zh-hant"):
        drawn = template.render({}, RequestFactory().get("/"))
        assert drawn == "zh-hant " + translation.gettext("Related FAQ")
    assert drawn != "zh-hant Related FAQ"  # the catalog has it in Chinese
