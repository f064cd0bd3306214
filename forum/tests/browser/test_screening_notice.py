"""The ask form's emergency notice in a real browser: it appears as a red flag is typed,
before Send, from static/js/ask.js calling the screening endpoint (no inline script)."""

import re

import pytest

from forum.tests.factories import PASSWORD, SpecialtyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_emergency_notice_appears_while_typing_and_goes_when_the_text_is_calm(open_page):
    SpecialtyFactory(name="Neurology")
    UserFactory(email="typing.patient@example.org")
    browser_page = open_page()
    page = browser_page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("typing.patient@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.IGNORECASE)).click()
    page.wait_for_load_state()
    page = browser_page.goto("/questions/new/")
    live = page.locator("#live-emergency")
    assert live.inner_text() == ""

    page.get_by_label("Your question", exact=True).fill(
        "My father suddenly has a drooping face and slurred speech."
    )
    notice = live.locator("li[data-category=stroke]")
    notice.wait_for(timeout=5000)
    assert "Signs of a stroke." in notice.inner_text()
    assert live.locator('a[href="tel:119"]').count() == 1

    calm = "我沒有胸痛，只是有點咳嗽，想問要吃什麼藥比較好。"
    page.get_by_label("Your question", exact=True).fill(calm)
    live.locator("li").first.wait_for(state="detached", timeout=5000)
    assert browser_page.errors == []
