"""An information request in a real browser, through the real pages only (the accounts
and the published question are made with factories):

  1. A verified doctor opens the question from the dashboard, presses "Start answering"
     and sends the patient a short question from the reply page.
  2. The patient (e-mailed the link) logs in, sees the request on "My questions" and
     answers it there.
  3. The doctor opens the reply page again, reads the answer and replies; a new doctor's
     reply is held for a moderator.
  4. A moderator logs in with two-factor and approves the reply.
  5. An anonymous visitor's Q&A page shows the doctor's question and the patient's
     answer, each dated, above the reply; at a desktop and a phone-sized viewport.

The reply page and the answer page are checked with axe-core and leave screenshots.
"""

import re

import pytest

from answers.models import InformationRequest, Reply
from forum.tests.browser.support import BrowserPage
from forum.tests.browser.test_end_to_end import check_page, log_in
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import give_totp
from questions.tests.factories import QuestionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Dizzy every time I stand up"
ASK = "Does the dizziness pass within a minute, and do you take any blood pressure medicine?"
ANSWER = "It passes in about thirty seconds. I take amlodipine every morning."
REPLY = (
    "Dizziness on standing that passes quickly, with a blood pressure medicine, is often "
    "orthostatic hypotension. Stand up slowly, drink enough water and ask your doctor "
    "whether the dose of amlodipine still suits you."
)


def send_request(browser_page: BrowserPage, doctor) -> None:
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page = browser_page.goto("/doctor/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Start answering").click()
    page.get_by_label("Your question to the patient").fill(ASK)
    page.get_by_role("button", name="Send to the patient").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your question is sent to the patient.").is_visible()
    assert page.get_by_text("Waiting for the patient's answer until").is_visible()
    check_page(browser_page, "reply-page-information-request")


def answer_request(browser_page: BrowserPage, patient) -> None:
    log_in(browser_page, patient.email, two_factor=False)
    page = browser_page.goto("/questions/mine/")
    row = page.locator("li.my-question", has_text=TITLE)
    assert row.get_by_text(ASK).is_visible()
    row.get_by_role("link", name=re.compile("Answer the doctor")).click()
    page.wait_for_url("**/information-requests/**/answer/")
    check_page(browser_page, "information-answer")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_url("**/questions/mine/")
    assert page.get_by_text("The doctor can now see your answer.").is_visible()


def reply_after_the_answer(browser_page: BrowserPage, doctor, question) -> None:
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page = browser_page.goto(f"/doctor/questions/{question.pk}/reply/")
    section = page.get_by_role("region", name="Ask the patient for more information")
    assert section.get_by_text(ANSWER).is_visible()
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_load_state()
    assert page.get_by_text("will appear once a moderator has approved it").is_visible()


def approve_reply(browser_page: BrowserPage, moderator, doctor) -> None:
    log_in(browser_page, moderator.email, two_factor=True)
    page = browser_page.goto("/moderation/replies/")
    item = page.get_by_role("article", name=f"Dr. {doctor.display_name} on {TITLE}")
    item.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()


def read_the_exchange(browser_page: BrowserPage, question, doctor) -> None:
    page = browser_page.goto(question.get_absolute_url())
    reply = page.locator("section.reply")
    assert reply.get_by_text(f"Before replying, Dr. {doctor.display_name} asked on").is_visible()
    assert reply.get_by_text(ASK).is_visible()
    assert reply.get_by_text(re.compile(r"Mei answered on \d{4}/\d{2}/\d{2}:")).is_visible()
    assert reply.get_by_text(ANSWER).is_visible()
    assert reply.get_by_text("Stand up slowly").is_visible()
    assert reply.locator("time").count() >= 3  # asked, answered, reply date
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(browser_page, "qa-page-information-exchange")


def test_doctor_asks_patient_answers_and_the_page_shows_the_exchange(
    open_page, mailoutbox, settings, specialty
):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 3  # a new doctor's reply waits for a moderator
    patient = UserFactory(email="dizzy.patient@example.org")
    question = QuestionFactory(author=patient, specialty=specialty, title=TITLE, nickname="Mei")
    doctor = DoctorProfileFactory(display_name="Lin Mei-hua", specialties=[specialty])
    moderator = ModeratorFactory(email="moderator@example.org")
    give_totp(moderator)

    send_request(open_page("desktop"), doctor)
    info = InformationRequest.objects.get()
    assert [m.to for m in mailoutbox] == [[patient.email]]
    assert f"/information-requests/{info.pk}/answer/" in mailoutbox[0].body

    answer_request(open_page("phone"), patient)
    info.refresh_from_db()
    assert info.status == InformationRequest.Status.ANSWERED

    reply_after_the_answer(open_page("desktop"), doctor, question)
    assert question.replies.get().status == Reply.Status.HELD
    anonymous = open_page("desktop")
    assert anonymous.goto(question.get_absolute_url()).get_by_text(ANSWER).count() == 0

    approve_reply(open_page("desktop"), moderator, doctor)
    assert question.replies.get().status == Reply.Status.PUBLISHED

    for viewport in ("desktop", "phone"):
        read_the_exchange(open_page(viewport), question, doctor)
