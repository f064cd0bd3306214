"""Signed-in pages at phone and desktop size, in English and Traditional Chinese: the
doctor's dashboard and history, the patient's questions and the ask form fit the screen,
pass axe, and leave screenshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from answers.tests.factories import FollowUpFactory, ReplyFactory
from forum.i18n import url_in_language
from forum.tests.browser.support import serious_accessibility_violations
from questions.models import FollowUp
from questions.tests.factories import QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(element => element.tagName.toLowerCase()
    + (element.className ? '.' + element.className : ''))
  .slice(0, 10)"""


@pytest.fixture(autouse=True)
def _plain_session_cookie(settings):
    # The session is handed to the browser directly; a "__Host-" cookie can only be set
    # by an HTTPS response, so these tests use a plain name (what the cookie carries is
    # the same).
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.SESSION_COOKIE_SECURE = False


def signed_in(browser_page, live_server, user):
    """Give the browser context a session of `user` (as a log-in would)."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    browser_page.context.add_cookies(
        [
            {
                "name": name,
                "value": client.cookies[name].value,
                "url": live_server.url,
                "secure": True,
            }
        ]
    )
    return browser_page


@pytest.fixture
def doctor_with_replies(doctor, specialty, patient):
    replies = []
    for number in range(3):
        question = QuestionFactory(
            specialty=specialty,
            author=patient,
            title=f"Numbness in the fingers of the left hand after sleeping, number {number}",
        )
        # The oldest is old enough for its "Still accurate" button, the next confirmed.
        replies.append(
            ReplyFactory(
                question=question,
                doctor=doctor,
                published_at=timezone.now() - timedelta(days=500 - 100 * number),
                confirmed_accurate_on=timezone.localdate() if number == 1 else None,
            )
        )
    # Follow-ups in every state on "My questions"; on the dashboard, one under the
    # doctor's reply and one under a colleague's reply to the same question.
    first = replies[0]
    colleague = ReplyFactory(question=first.question, doctor__display_name="Chen Wei-ting")
    FollowUpFactory(reply=first, body="Does the numbness mean a nerve is damaged for good?")
    FollowUpFactory(reply=colleague, body="Should I wear a wrist splint at night as well?")
    answered = FollowUpFactory(reply=replies[1], body="Can I keep typing all day at work?")
    ReplyFactory(question=replies[1].question, doctor=doctor, follow_up=answered)
    FollowUpFactory(
        reply=replies[2],
        body="I also feel it in the morning.",
        status=FollowUp.Status.PENDING,
        published_at=None,
    )
    FollowUpFactory(
        reply=replies[2],
        body="My neighbour Mr Wang at 5 Lane 3 has it too.",
        status=FollowUp.Status.REJECTED,
        published_at=None,
        rejection_reason="It names another person and their address.",
    )
    QuestionFactory(specialty=specialty, title="Dizzy when standing up quickly", is_urgent=True)
    return doctor


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize(
    "name, path, who",
    [
        ("dashboard", "/doctor/", "doctor"),
        ("history", "/doctor/history/", "doctor"),
        ("my-questions", "/questions/mine/", "patient"),
        ("ask", "/questions/new/", "patient"),
    ],
)
def test_signed_in_page_fits_the_screen_and_is_accessible(
    open_page, live_server, doctor_with_replies, patient, name, path, who, viewport, language
):
    user = doctor_with_replies.user if who == "doctor" else patient
    browser_page = signed_in(open_page(viewport), live_server, user)
    page = browser_page.goto(url_in_language(path, language))
    browser_page.screenshot(name if language == "en" else f"{name}-{language}")

    assert page.locator("main h1").count() == 1
    if name == "my-questions":
        assert page.locator(".my-follow-up").count() == 5
    if name == "dashboard":
        # The follow-up under the colleague's reply waits for this doctor too.
        assert page.locator(".follow-ups-waiting .queue-row").count() == 2
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []
