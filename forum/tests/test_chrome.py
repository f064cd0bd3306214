"""The site chrome (header, messages, footer) is one set of Jinja2 templates, drawn by
Django templates' base.html through {% chrome %} and by the Q&A page's Jinja2 base.html:
both skeletons, and both kinds of page, must give every role the same chrome."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.template import engines
from django.test import RequestFactory

from answers.tests.factories import ReplyFactory
from forum.tests.two_factor import sign_in
from questions.tests.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+')


def _same_token(html: str) -> str:
    # Every rendering masks the CSRF token afresh.
    return CSRF_VALUE.sub(r"\1…", html)


@pytest.fixture(params=["anonymous", "patient", "doctor", "moderator", "editor"])
def viewer(request):
    """(role, user)"""
    if request.param == "anonymous":
        return request.param, AnonymousUser()
    if request.param == "doctor":
        return request.param, request.getfixturevalue("doctor").user
    return request.param, request.getfixturevalue(request.param)


def test_both_base_templates_draw_the_same_page(viewer):
    role, user = viewer
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.SUCCESS, "Your question was sent & is waiting.")
    pages = {}
    for engine in ("django", "jinja2"):
        template = engines[engine].from_string('{% extends "base.html" %}')
        pages[engine] = _same_token(template.render({}, request))
        list(get_messages(request))  # shown: marked used, as a real page does
        request._messages.used = False
    assert pages["django"] == pages["jinja2"]
    page = pages["jinja2"]
    assert "Your question was sent &amp; is waiting." in page
    signed_in = role != "anonymous"
    assert ("Log out" in page) is signed_in
    assert ("Log in" in page) is not signed_in


def _chrome(html: str) -> str:
    """The page without its <main> and <head> contents: header, footer, scripts' place."""
    html = re.sub(r"<head>.*</head>", "", html, flags=re.S)
    html = re.sub(r"<main .*</main>", "", html, flags=re.S)
    return _same_token(re.sub(r"<script [^>]*></script>", "", html))


def test_django_and_jinja2_pages_share_the_chrome_for_every_role(client, viewer, doctor):
    tag = TagFactory(name="Migraine", slug="migraine")
    question = QuestionFactory(title="Headache every morning", tags=[tag])
    ReplyFactory(question=question, doctor=doctor)
    role, user = viewer
    if role != "anonymous":
        sign_in(client, user)  # with two-factor for the moderator and the editor
    tag_page = client.get(tag.get_absolute_url())  # Django's engine
    qa_page = client.get(question.get_absolute_url())  # Jinja2
    assert tag_page.status_code == qa_page.status_code == 200
    django_chrome, jinja2_chrome = _chrome(tag_page.text), _chrome(qa_page.text)
    assert django_chrome == jinja2_chrome
    assert '<header class="site-header">' in jinja2_chrome
    assert 'id="medical-disclaimer"' in jinja2_chrome
    links = {
        "anonymous": ["Log in", "Sign up"],
        "patient": ["My questions", "Apply as a doctor", "Log out"],
        "doctor": ["My questions", "Dashboard", "Log out"],
        "moderator": ["Moderation", "Log out"],
        "editor": ["Apply as a doctor", "Log out"],
    }
    for text in links[role]:
        assert f">{text}<" in jinja2_chrome


def test_a_django_page_rendered_without_a_request_gets_the_anonymous_chrome():
    page = engines["django"].from_string('{% extends "base.html" %}').render({})
    assert '<header class="site-header">' in page
    assert ">Log in<" in page and "Log out" not in page
    assert 'id="medical-disclaimer"' in page


def test_the_chrome_escapes_what_a_django_page_passes_it():
    page = (
        engines["django"]
        .from_string('{% extends "base.html" %}')
        .render({"search_query": '"><script>alert(1)</script>'})
    )
    assert "<script>alert(1)" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
