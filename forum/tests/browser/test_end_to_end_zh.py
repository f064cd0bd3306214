"""The end-to-end story in Traditional Chinese, through the Chinese pages (/zh-hant/...)
and their Chinese labels: a patient signs up and asks in Chinese, a moderator approves,
a doctor replies in Chinese, and a visitor finds the question by a word from the middle
of a sentence and by the same word typed in Simplified characters.

The English story (test_end_to_end.py) also covers the editor's article; here each page
is checked with axe-core and leaves a screenshot (`*-zh-hant`).
"""

import re

import pytest
from allauth.account.models import EmailAddress

from answers.models import Reply
from forum.tests.browser.support import BrowserPage, serious_accessibility_violations
from forum.tests.browser.test_end_to_end import SIGN_UP_PASSWORD, wait_for_fresh_totp_period
from forum.tests.factories import PASSWORD, DoctorProfileFactory, ModeratorFactory
from forum.tests.two_factor import SECRET, give_totp, totp
from questions.models import Question

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PATIENT_EMAIL = "night.owl@example.org"
TITLE = "輪大夜班兩個月後常常頭痛"
BODY = (
    "我兩個月前開始輪大夜班，之後每天下午起床時眼睛後面都會一陣一陣地抽痛，"
    "大約持續三四個小時。請問這和睡眠不足有關嗎？需要看神經內科嗎？"
)
REPLY = (
    "輪班後頭痛很常見，多半和睡眠不足、睡眠中斷、三餐不定時與咖啡因攝取的時間有關。"
    "建議記錄兩週的睡眠與頭痛日誌，若頭痛越來越嚴重，請到門診就醫。"
)
MIDDLE_WORD = "抽痛"  # from the middle of a sentence of the question
SIMPLIFIED = "轮大夜班"  # 輪大夜班 typed with a Simplified keyboard


def check_page(browser_page: BrowserPage, name: str) -> None:
    browser_page.screenshot(f"{name}-zh-hant")
    assert browser_page.page.evaluate("document.documentElement.lang") == "zh-Hant", name
    assert serious_accessibility_violations(browser_page.page) == [], name
    assert browser_page.errors == [], name


def sign_up_and_verify(browser_page: BrowserPage, mailoutbox) -> None:
    page = browser_page.goto("/zh-hant/accounts/signup/")
    check_page(browser_page, "sign-up")
    page.locator("input[name=email]").fill(PATIENT_EMAIL)
    page.locator("input[name=password1]").fill(SIGN_UP_PASSWORD)
    page.locator("input[name=password2]").fill(SIGN_UP_PASSWORD)
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="註冊").click()
    page.wait_for_url("**/zh-hant/accounts/confirm-email/")
    [message] = mailoutbox
    assert message.to == [PATIENT_EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert "/zh-hant/" in link  # the e-mail speaks the language of the sign-up
    page = browser_page.goto("/zh-hant/accounts/" + link.split("/accounts/", 1)[1])
    page.get_by_role("button", name="確認").click()
    page.wait_for_load_state()


def ask_question(browser_page: BrowserPage) -> None:
    page = browser_page.goto("/zh-hant/questions/new/")
    check_page(browser_page, "ask-form")
    page.get_by_label("暱稱", exact=True).fill("貓頭鷹")
    page.get_by_label("年齡層", exact=True).select_option("30~39")
    page.get_by_role("radio", name="女性").check()
    page.get_by_label("科別", exact=True).select_option(label="神經內科")
    page.get_by_label("標題", exact=True).fill(TITLE)
    page.get_by_label("您的問題", exact=True).fill(BODY)
    page.get_by_label("標籤", exact=True).fill("頭痛, 睡眠")
    page.get_by_role("checkbox", name=re.compile("我同意")).check()
    page.get_by_role("button", name="送出我的問題").click()
    page.wait_for_url(re.compile(r"/zh-hant/questions/new/\d+/$"))
    page = browser_page.goto("/zh-hant/questions/mine/")
    row = page.locator("li.my-question", has_text=TITLE)
    assert row.get_by_text("等待審核").is_visible()


def log_in(browser_page: BrowserPage, email: str, *, two_factor: bool):
    page = browser_page.goto("/zh-hant/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if two_factor:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        wait_for_fresh_totp_period(email)
        page.locator("input[name=code]").fill(totp(SECRET))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="登出").count() == 1
    return page


def approve_question(browser_page: BrowserPage, moderator) -> None:
    log_in(browser_page, moderator.email, two_factor=True)
    page = browser_page.goto("/zh-hant/moderation/")
    check_page(browser_page, "moderation-queue")
    page.get_by_role("article", name=TITLE).get_by_role("button", name="核准").click()
    page.wait_for_load_state()
    assert page.get_by_role("article", name=TITLE).count() == 0


def publish_reply(browser_page: BrowserPage, doctor) -> None:
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page = browser_page.goto("/zh-hant/doctor/")
    check_page(browser_page, "dashboard")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="開始回答").click()
    page.get_by_label("您的回覆").fill(REPLY)
    page.get_by_role("button", name="預覽").click()
    assert page.get_by_role("region", name="預覽").get_by_text("睡眠與頭痛日誌").is_visible()
    page.get_by_role("button", name="送出回覆").click()
    page.wait_for_url(re.compile(r"/zh-hant/questions/\d+/[^/]+/(#[\w-]+)?$"))
    assert page.get_by_text("您的回覆已發布。").is_visible()


def find_and_read(browser_page: BrowserPage, words: str, doctor) -> None:
    page = browser_page.goto("/zh-hant/")
    page.get_by_role("search").get_by_role("searchbox").fill(words)
    page.get_by_role("search").get_by_role("button", name="搜尋").click()
    page.wait_for_url(re.compile(r"/zh-hant/search/\?q="))
    check_page(browser_page, "search")
    page.locator("main").get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/zh-hant/questions/\d+/[^/]+/(#[\w-]+)?$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(TITLE)
    assert page.get_by_text("貓頭鷹，30~39歲女性。").is_visible()
    heading = f"{doctor.display_name} 醫師回覆 神經內科"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_text("建議記錄兩週的睡眠與頭痛日誌").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(browser_page, "story-question")


def test_a_chinese_question_travels_from_patient_to_reader(
    open_page, mailoutbox, settings, specialty
):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    specialty.name_zh_hant = "神經內科"
    specialty.save()
    moderator = ModeratorFactory(email="moderator@example.org")
    give_totp(moderator)
    doctor = DoctorProfileFactory(display_name="林美華", specialties=[specialty])

    sign_up_and_verify(patient := open_page("desktop"), mailoutbox)
    assert EmailAddress.objects.get(email=PATIENT_EMAIL).verified
    ask_question(patient)
    question = Question.objects.get(title=TITLE)
    assert (question.status, question.language) == (Question.Status.PENDING, "zh-hant")

    approve_question(open_page("desktop"), moderator)
    publish_reply(open_page("desktop"), doctor)
    assert question.replies.get().status == Reply.Status.PUBLISHED

    find_and_read(open_page("desktop"), MIDDLE_WORD, doctor)
    find_and_read(open_page("phone"), SIMPLIFIED, doctor)
