"""A follow-up in Traditional Chinese through the Chinese pages (/zh-hant/...) and their
Chinese labels (issue 19). The answered question, the two doctors' replies and the
accounts are made with factories; the asker is trusted (their published question is
enough), so the follow-up is published at once. Then, in the browser:

  1. The asker opens the Chinese Q&A page, follows 「向 林美華 醫師追問」 under Dr. Lin's
     reply and sends a follow-up in Chinese.
  2. Dr. Chen, who replied to the same question, finds it under 「等您回答的追問」 on the
     dashboard ("to Dr. Lin's reply") and answers it; it is published at once.
  3. Dr. Lin's dashboard no longer lists it: one doctor's answer is enough.
  4. The asker's 「我的提問」 says who answered it and links to it.
  5. A visitor (desktop and phone) reads the follow-up and Dr. Chen's answer on the
     Chinese Q&A page.

Each page is checked with axe-core (and the Nu HTML checker) and leaves a screenshot.
"""

import re

import pytest

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.i18n import url_in_language
from forum.tests.browser.support import BrowserPage
from forum.tests.browser.test_end_to_end_zh import check_page, log_in
from forum.tests.factories import DoctorProfileFactory, UserFactory
from questions.models import FollowUp
from questions.tests.factories import QuestionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "吃完止痛藥還是頭痛，要換藥嗎？"
BODY = "我最近每週頭痛三四次，吃普拿疼後大約兩個小時會好一點，但隔天又痛。請問需要換藥嗎？"
FOLLOW_UP = "謝謝醫師。如果我照您說的記錄頭痛日誌，大概要記多久再回診比較好？晚上喝咖啡有影響嗎？"
ANSWER = "建議至少記錄四週，回診時帶給醫師看。咖啡因會影響睡眠，下午三點以後最好不要再喝咖啡。"


def zh(path: str) -> str:
    return url_in_language(path, "zh-hant") or path


def send_follow_up(browser_page: BrowserPage, asker, question) -> None:
    page = log_in(browser_page, asker.email, two_factor=False)
    page = browser_page.goto(zh(question.get_absolute_url()))
    page.get_by_role("link", name="向 林美華 醫師追問").click()
    page.wait_for_url(re.compile(r"/zh-hant/replies/\d+/follow-ups/new/$"))
    check_page(browser_page, "follow-up-form")
    page.get_by_label("您的追問", exact=True).fill(FOLLOW_UP)
    page.get_by_role("button", name="送出我的追問").click()
    page.wait_for_url(re.compile(r"/zh-hant/questions/\d+/[^/]+/$"))
    assert page.get_by_text("您的追問已公開，也已通知回覆過的醫師。").is_visible()


def answer_as_colleague(browser_page: BrowserPage, doctor) -> None:
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page = browser_page.goto("/zh-hant/doctor/")
    check_page(browser_page, "dashboard-colleague-follow-up")
    waiting = page.get_by_role("region", name="等您回答的追問")
    assert waiting.get_by_text("針對林美華 醫師的回覆").is_visible()
    waiting.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/zh-hant/doctor/follow-ups/\d+/answer/$"))
    check_page(browser_page, "follow-up-answer")
    assert page.get_by_text("記錄頭痛日誌").first.is_visible()
    page.get_by_label("您的回覆").fill(ANSWER)
    page.get_by_role("button", name="送出回答").click()
    page.wait_for_url(re.compile(r"/zh-hant/questions/\d+/[^/]+/(#[\w-]+)?$"))
    assert page.get_by_text("您的回答已公開。").is_visible()


def nothing_waits_for(browser_page: BrowserPage, doctor) -> None:
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page = browser_page.goto("/zh-hant/doctor/")
    assert page.get_by_role("region", name="等您回答的追問").count() == 0


def asker_sees_who_answered(browser_page: BrowserPage, asker) -> None:
    page = log_in(browser_page, asker.email, two_factor=False)
    page = browser_page.goto("/zh-hant/questions/mine/")
    check_page(browser_page, "my-questions-follow-up")
    row = page.locator("li.my-follow-up")
    assert row.get_by_text("由陳偉廷 醫師回答").is_visible()
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/zh-hant/questions/\d+/[^/]+/#follow-up-\d+$"))


def read_the_page(browser_page: BrowserPage, question, reply) -> None:
    page = browser_page.goto(zh(question.get_absolute_url()))
    follow_up = page.locator(f"#reply-{reply.pk}").get_by_role("region", name="小雨 的追問")
    assert follow_up.get_by_text("大概要記多久再回診").is_visible()
    assert follow_up.get_by_text("陳偉廷 醫師回答").is_visible()
    assert follow_up.get_by_text("建議至少記錄四週").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(browser_page, f"follow-up-page-{browser_page.viewport}")


def test_a_chinese_follow_up_answered_by_a_second_doctor_through_the_chinese_pages(
    open_page, settings, specialty
):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    settings.TRUSTED_ASKER_APPROVED_POSTS = 1  # the asker's published question is enough
    specialty.name_zh_hant = "神經內科"
    specialty.save()
    lin = DoctorProfileFactory(display_name="林美華", specialties=[specialty])
    chen = DoctorProfileFactory(display_name="陳偉廷", specialties=[specialty])
    asker = UserFactory(email="rain@example.org", language="zh-hant")
    question = QuestionFactory(
        author=asker, nickname="小雨", specialty=specialty, title=TITLE, body=BODY
    )
    reply = ReplyFactory(
        question=question, doctor=lin, body="建議先記錄頭痛日誌，留意誘發因素與吃藥的天數。"
    )
    ReplyFactory(question=question, doctor=chen, body="止痛藥一個月不要吃超過十天。")

    send_follow_up(open_page("desktop"), asker, question)
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.language) == (FollowUp.Status.PUBLISHED, "zh-hant")

    answer_as_colleague(open_page("desktop"), chen)
    answer = Reply.objects.get(follow_up=follow_up)
    assert (answer.doctor, answer.status) == (chen, Reply.Status.PUBLISHED)

    nothing_waits_for(open_page("desktop"), lin)
    asker_sees_who_answered(open_page("desktop"), asker)
    for viewport in ("desktop", "phone"):
        read_the_page(open_page(viewport), question, reply)
