"""A follow-up and its answer through the real pages (issue 19).

The asker's answered question, its doctor's reply and the accounts are made with
factories; every step after that is what a person does in the browser:

  1. The asker logs in, opens the Q&A page, follows "Ask Dr. … a follow-up" under the
     reply and sends a follow-up; the page says it waits for a moderator.
  2. A moderator logs in with two-factor and approves it on the moderation queue's
     Follow-ups tab.
  3. The doctor logs in: the dashboard shows "Follow-ups waiting for you" first; the
     doctor opens it, previews and submits an answer, held as a new doctor's replies are.
  4. The moderator approves the answer among the held replies.
  5. A visitor (desktop and phone) reads the follow-up under the reply, with its date
     and the doctor's answer.

The follow-up form, the moderators' list, the dashboard and the Q&A page are checked
with axe-core and leave screenshots.
"""

import re

import pytest

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.tests.browser.support import BrowserPage
from forum.tests.browser.test_end_to_end import check_page, log_in
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import give_totp
from questions.models import FollowUp
from questions.tests.factories import QuestionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Migraine with flashing lights before it starts"
FOLLOW_UP = (
    "Thank you. The flashing lights now come without any headache afterwards. "
    "Should I still keep the diary, or is that a different problem?"
)
ANSWER = (
    "Yes, keep the diary: lights without a headache can be the same migraine. See your "
    "family doctor soon if they last longer than an hour or you lose part of your sight."
)


def send_follow_up(browser_page: BrowserPage, asker, question, doctor) -> None:
    page = log_in(browser_page, asker.email, two_factor=False)
    page = browser_page.goto(question.get_absolute_url())
    page.get_by_role("link", name=f"Ask Dr. {doctor.display_name} a follow-up").click()
    page.wait_for_url(re.compile(r"/replies/\d+/follow-ups/new/$"))
    check_page(browser_page, "follow-up-form")
    page.get_by_label("Your follow-up", exact=True).fill(FOLLOW_UP)
    page.get_by_role("button", name="Send my follow-up").click()
    page.wait_for_url(re.compile(r"/questions/\d+/[\w-]+/$"))
    assert page.get_by_text("Your follow-up will appear once a moderator").is_visible()
    assert page.get_by_text("Your follow-up is waiting for a moderator").is_visible()


def approve_follow_up(browser_page: BrowserPage, moderator) -> None:
    log_in(browser_page, moderator.email, two_factor=True)
    page = browser_page.goto("/moderation/")
    page.get_by_role("link", name=re.compile(r"^Follow-ups")).click()
    page.wait_for_url("**/moderation/follow-ups/")
    check_page(browser_page, "moderation-follow-ups")
    item = page.get_by_role("article", name=re.compile(re.escape(TITLE)))
    assert item.get_by_text("The flashing lights now come").is_visible()
    item.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert page.get_by_text("Follow-up approved and published").is_visible()
    assert page.get_by_role("article", name=re.compile(re.escape(TITLE))).count() == 0


def answer_follow_up(browser_page: BrowserPage, doctor) -> None:
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/doctor/")
    check_page(browser_page, "dashboard-follow-ups")
    # The first section of the dashboard, before the questions waiting for a doctor.
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "Follow-ups waiting for you"
    waiting = page.get_by_role("region", name="Follow-ups waiting for you")
    waiting.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/doctor/follow-ups/\d+/answer/$"))
    assert page.get_by_text("The flashing lights now come").is_visible()
    page.get_by_label("Your reply").fill(ANSWER)
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("region", name="Preview").get_by_text("keep the diary").is_visible()
    page.get_by_role("button", name="Submit answer").click()
    page.wait_for_url("**/doctor/")
    assert page.get_by_text("Your answer will appear once a moderator has").is_visible()


def approve_answer(browser_page: BrowserPage, moderator, doctor) -> None:
    log_in(browser_page, moderator.email, two_factor=True)
    page = browser_page.goto("/moderation/replies/")
    item = page.get_by_role("article", name=f"Dr. {doctor.display_name} on {TITLE}")
    assert item.get_by_text("An answer to the asker's follow-up:").is_visible()
    item.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert page.get_by_text("Reply approved and published.").is_visible()


def read_the_page(browser_page: BrowserPage, question, doctor, reply) -> None:
    page = browser_page.goto(question.get_absolute_url())
    section = page.locator(f"#reply-{reply.pk}")
    follow_up = section.get_by_role("region", name="Follow-up from Bird")
    assert follow_up.get_by_text("The flashing lights now come").is_visible()
    assert follow_up.locator("time").first.get_attribute("datetime")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d",
        follow_up.locator("time").first.get_attribute("datetime"),
    )
    assert follow_up.get_by_text(f"Dr. {doctor.display_name} answers").is_visible()
    assert follow_up.get_by_text("Yes, keep the diary").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(browser_page, f"follow-up-page-{browser_page.viewport}")


def test_a_follow_up_and_its_answer_through_the_real_pages(open_page, settings, specialty):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 5  # this doctor is new: answers are held
    settings.TRUSTED_ASKER_APPROVED_POSTS = 0  # every follow-up is moderated
    moderator = ModeratorFactory(email="moderator@example.org")
    give_totp(moderator)
    doctor = DoctorProfileFactory(display_name="Lin Mei-hua", specialties=[specialty])
    asker = UserFactory(email="bird@example.org")
    question = QuestionFactory(author=asker, nickname="Bird", specialty=specialty, title=TITLE)
    reply = ReplyFactory(question=question, doctor=doctor)

    send_follow_up(open_page("desktop"), asker, question, doctor)
    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUp.Status.PENDING

    approve_follow_up(open_page("desktop"), moderator)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.PUBLISHED

    answer_follow_up(open_page("desktop"), doctor)
    answer = Reply.objects.get(follow_up=follow_up)
    assert answer.status == Reply.Status.HELD

    approve_answer(open_page("desktop"), moderator, doctor)
    answer.refresh_from_db()
    assert answer.status == Reply.Status.PUBLISHED

    for viewport in ("desktop", "phone"):
        read_the_page(open_page(viewport), question, doctor, reply)
