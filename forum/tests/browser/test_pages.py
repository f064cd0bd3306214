"""The public pages that exist today, in a real Chromium at desktop and phone sizes, in
English and in Traditional Chinese.

Each page: answers 200, raises no console error or failed sub-request (CSS, icons),
fits the screen without sideways scrolling, has no serious or critical axe-core finding,
and leaves a screenshot in artifacts/screenshots/.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from answers.tests.factories import ArticleFactory, ReplyFactory
from forum.i18n import url_in_language
from forum.tests.browser.support import serious_accessibility_violations
from questions.search_index import refresh_question_document
from questions.tests.factories import TagFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def answered(doctor, question):
    """An answered Q&A with tags and an attached article, as readers see them."""
    question.title = "Why do I wake up with a headache?"
    question.save()
    question.tags.add(TagFactory(name="headache"), TagFactory(name="sleep"))
    ReplyFactory(question=question, doctor=doctor, confirmed_accurate_on=timezone.localdate())
    # Past its review date and the grace period: readers see the notice.
    ArticleFactory(
        title="Headaches in the morning",
        next_review_on=timezone.localdate() - timedelta(days=400),
    ).questions.add(question)
    refresh_question_document(question.pk)  # as the reply and article actions would
    question.refresh_from_db()
    return question


PAGES = {
    "home": lambda q: "/",
    "question": lambda q: q.get_absolute_url(),
    "specialty": lambda q: q.specialty.get_absolute_url(),
    "tag": lambda q: "/questions/tags/headache/",
    "search": lambda q: "/search/?q=headache",
    "search-typo": lambda q: "/search/?q=headahce&specialty=neurology",
}


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_is_accessible_and_fits_the_screen(
    open_page, answered, name, viewport, language
):
    browser_page = open_page(viewport)
    page = browser_page.goto(url_in_language(PAGES[name](answered), language))
    browser_page.screenshot(name if language == "en" else f"{name}-{language}")

    assert page.evaluate("document.documentElement.lang") == (
        "en" if language == "en" else "zh-Hant"
    )
    assert page.locator("main h1").count() == 1
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_question_page_shows_the_question_and_the_reply(open_page, answered):
    page = open_page("phone").goto(answered.get_absolute_url())
    # The question's own title heads the page; the attached article heads its More Info.
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"{answered.title} - {answered.specialty.name}"
    assert page.get_by_role("heading", level=3, name="Headaches in the morning").is_visible()
    assert page.get_by_text("Heihei, 30~39 year old female.").is_visible()
    assert page.get_by_role("heading", name="Dr. Lin Mei-hua reply Neurology").is_visible()
