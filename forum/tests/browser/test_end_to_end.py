"""The end-to-end story in a real browser: one question from a patient to a reader.

`test_question_travels_from_patient_to_reader` goes through the real pages only; the
accounts of the moderator, the doctor and the editor, their authenticators and one
earlier answered question (so Similar Q&A has an item) are the only things made with
factories. Every step is what a person does in the browser:

  1. A patient signs up at /accounts/signup/ and verifies the e-mail address by following
     the link in the message the site sent (Django's locmem outbox, which the live server
     shares with the test), ending up logged in.
  2. The patient asks a question on questions:ask (nickname, age range, sex, specialty,
     title, text, tags, consent) and sees it waiting for review on questions:mine.
  3. A moderator logs in at /accounts/login/ with password and a TOTP code (two-factor
     is required for moderators) and approves the question at answers:moderation.
  4. A verified doctor in the question's specialty logs in, opens answers:dashboard,
     picks the question, previews and publishes a reply.
  5. An editor logs in with two-factor, writes an Article at /admin/answers/article/add/,
     attaches it to the question through the admin's autocomplete, and publishes it.
  6. An anonymous visitor searches from the header's search box for words of the title,
     opens the result and sees the reply, the "More Info" article and "Similar Q&A";
     at a desktop and at a phone-sized viewport.

Home, Q&A page, search results, ask form, log-in, dashboard and moderation queue are each
checked with axe-core (no serious or critical finding) and leave a screenshot in
artifacts/screenshots/.
"""

import re
import time

import pytest
from allauth.account.models import EmailAddress

from answers.models import Article, Reply
from answers.tests.factories import ReplyFactory
from forum.tests.browser.support import BrowserPage, serious_accessibility_violations
from forum.tests.factories import PASSWORD, DoctorProfileFactory, EditorFactory, ModeratorFactory
from forum.tests.two_factor import SECRET, give_totp, totp
from questions.models import Question
from questions.tests.factories import QuestionFactory, TagFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SIGN_UP_PASSWORD = "a-long-and-unusual-passphrase-42"
PATIENT_EMAIL = "sleepy.patient@example.org"
TITLE = "Pounding headaches since I started night shifts"
BODY = (
    "I started working night shifts two months ago. Since then I wake up in the afternoon "
    "with a pounding headache behind my eyes that lasts a few hours. Could it be the sleep?"
)
REPLY = (
    "Headaches after a switch to night work are common and usually come from short or "
    "broken sleep, skipped meals and caffeine timing. Keep a sleep and headache diary for "
    "two weeks and see your family doctor if they get worse."
)
ARTICLE_TITLE = "Shift work and headaches"
SEARCH_WORDS = "night shifts headaches"


def check_page(browser_page: BrowserPage, name: str) -> None:
    """Screenshot, then no serious or critical axe-core finding and no console error."""
    browser_page.screenshot(name)
    assert serious_accessibility_violations(browser_page.page) == [], name
    assert browser_page.errors == [], name


def sign_up_and_verify(browser_page, mailoutbox, email: str) -> None:
    """Step 1: sign up in the browser, then follow the link from the confirmation e-mail."""
    page = browser_page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(SIGN_UP_PASSWORD)
    page.locator("input[name=password2]").fill(SIGN_UP_PASSWORD)
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()
    page.wait_for_url("**/accounts/confirm-email/")

    assert len(mailoutbox) == 1 and mailoutbox[0].to == [email]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    path = link.split("/accounts/", 1)[1]
    page = browser_page.goto(f"/accounts/{path}")
    page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()
    page.wait_for_load_state()


def ask_question(browser_page: BrowserPage) -> None:
    """Step 2: the ask form, filled in and sent; then "My questions"."""
    page = browser_page.goto("/questions/new/")
    check_page(browser_page, "ask-form")
    page.get_by_label("Nickname", exact=True).fill("Owl")
    page.get_by_label("Age range", exact=True).select_option("30~39")
    page.get_by_role("radio", name="Female").check()
    page.get_by_label("Specialty", exact=True).select_option(label="Neurology")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Your question", exact=True).fill(BODY)
    page.get_by_label("Tags", exact=True).fill("headache, sleep")
    page.get_by_role("checkbox", name=re.compile("I agree")).check()
    page.get_by_role("button", name="Send my question").click()
    page.wait_for_url(re.compile(r"/questions/new/\d+/$"))

    page.get_by_role("link", name="My questions").first.click()
    page.wait_for_url("**/questions/mine/")
    row = page.locator("li.my-question", has_text=TITLE)
    assert row.get_by_text("Waiting for review").is_visible()


_codes_used: set[tuple[str, int]] = set()


def wait_for_fresh_totp_period(email: str = "") -> None:
    """Typing takes a moment: start with at least 5 s left in the current 30 s period.
    allauth refuses a code the same account has already used, so an account logging in
    twice within one period waits for the next code."""
    if 30 - time.time() % 30 < 5 or (email, int(time.time() // 30)) in _codes_used:
        time.sleep(30 - time.time() % 30 + 0.1)
    if email:
        _codes_used.add((email, int(time.time() // 30)))


def log_in(browser_page: BrowserPage, email: str, *, two_factor: bool, check: bool = False):
    """Log in at /accounts/login/, with the TOTP step when the account has one."""
    page = browser_page.goto("/accounts/login/")
    if check:
        check_page(browser_page, "log-in")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.IGNORECASE)).click()
    if two_factor:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        wait_for_fresh_totp_period(email)
        page.locator("input[name=code]").fill(totp(SECRET))
        page.get_by_role("button", name=re.compile("sign in|log in|verify", re.IGNORECASE)).click()
    page.wait_for_load_state()
    menu = page.locator("details.menu > summary")
    if menu.is_visible():  # a phone: the header's links are behind "Menu"
        menu.click()
    assert page.get_by_role("button", name="Log out").count() == 1
    return page


def approve_question(browser_page: BrowserPage, moderator) -> None:
    """Step 3: a moderator, with two-factor, approves the question in the queue."""
    log_in(browser_page, moderator.email, two_factor=True, check=True)
    page = browser_page.goto("/moderation/")
    check_page(browser_page, "moderation-queue")
    item = page.get_by_role("article", name=TITLE)
    item.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert page.get_by_role("article", name=TITLE).count() == 0
    # The audit log now holds an entry written a moment ago (checked by the HTML checker).
    page = browser_page.goto("/moderation/log/")
    entry = re.compile(f"{re.escape(moderator.email)} approved the question “{re.escape(TITLE)}”")
    assert page.get_by_role("cell", name=entry).count() >= 1


def publish_reply(browser_page: BrowserPage, doctor) -> None:
    """Step 4: a verified doctor picks the question on the dashboard and replies."""
    page = log_in(browser_page, doctor.user.email, two_factor=False)
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/doctor/")
    check_page(browser_page, "dashboard")
    page.get_by_role("link", name=TITLE).click()
    # Opening the question claims nothing; "Start answering" does (a POST).
    page.get_by_role("button", name="Start answering").click()
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("region", name="Preview").get_by_text("Keep a sleep").is_visible()
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_url(re.compile(r"/questions/\d+/[\w-]+/(#[\w-]+)?$"))
    assert page.get_by_text("Your reply is published.").is_visible()
    # The doctor's history lists the reply just written.
    page = browser_page.goto("/doctor/history/")
    assert page.locator("main").get_by_text(TITLE).count() >= 1


def publish_article(browser_page: BrowserPage, editor, doctor) -> None:
    """Step 5: an editor writes an article in admin, attaches it by autocomplete, publishes."""
    log_in(browser_page, editor.email, two_factor=True)
    page = browser_page.goto("/admin/answers/article/add/")
    page.get_by_label("Title:").fill(ARTICLE_TITLE)
    page.get_by_label("Text:").fill(
        "## Why night work hurts\n\nThe body clock expects sleep at night.\n\n"
        "- Keep the same sleep hours on days off\n- Darken the bedroom\n"
    )
    # The questions field is the admin's select2 autocomplete: type, wait, pick.
    page.locator(".field-questions .select2-selection").click()
    page.locator(".select2-search__field").fill("night shifts")
    page.locator(".select2-results__option", has_text=TITLE).click()
    page.get_by_label("Status:").select_option(label="Published")
    page.get_by_label("Medical reviewer:").select_option(label=str(doctor))
    page.locator(".field-reviewed_on").get_by_role("link", name="Today").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/answers/article/")
    assert page.get_by_text(f"“{ARTICLE_TITLE}” was added successfully").is_visible()
    assert browser_page.errors == []  # e.g. no script or style refused by the CSP


def read_as_visitor(browser_page: BrowserPage, doctor, earlier: Question) -> None:
    """Step 6: anyone finds the question by search and reads the whole page."""
    page = browser_page.goto("/")
    check_page(browser_page, "story-home")
    page.get_by_role("search").get_by_role("searchbox").fill(SEARCH_WORDS)
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("main h1").count() == 1
    check_page(browser_page, "search")
    page.locator("main").get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/questions/\d+/[\w-]+/(#[\w-]+)?$"))

    # The question's own title heads the page; the article's leads the <title>.
    assert page.get_by_role("heading", level=1).inner_text().startswith(TITLE)
    assert page.title().startswith(ARTICLE_TITLE)
    assert page.get_by_text("Owl, 30~39 year old female.").is_visible()
    reply_heading = f"Dr. {doctor.display_name} reply Neurology"
    assert page.get_by_role("heading", name=reply_heading).is_visible()
    assert page.get_by_text("Keep a sleep and headache diary").is_visible()
    more_info = page.get_by_role("region", name="More Info")
    assert more_info.get_by_role("heading", name=ARTICLE_TITLE).is_visible()
    assert more_info.get_by_text("The body clock expects sleep at night.").is_visible()
    similar = page.get_by_role("region", name="Similar Q&A")
    assert similar.get_by_role("link", name=re.compile(re.escape(earlier.title))).count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(browser_page, "story-question")


def test_question_travels_from_patient_to_reader(open_page, mailoutbox, settings, specialty):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0  # this doctor's first reply goes out at once
    moderator = ModeratorFactory(email="moderator@example.org")
    editor = EditorFactory(email="editor@example.org")
    give_totp(moderator)
    give_totp(editor)
    doctor = DoctorProfileFactory(display_name="Lin Mei-hua", specialties=[specialty])
    # An earlier answered question that shares a tag, for Similar Q&A.
    earlier = QuestionFactory(
        specialty=specialty,
        title="Headache every afternoon after poor sleep",
        tags=[TagFactory(name="headache", slug="headache")],
    )
    ReplyFactory(question=earlier)

    sign_up_and_verify(patient := open_page("desktop"), mailoutbox, PATIENT_EMAIL)
    assert EmailAddress.objects.get(email=PATIENT_EMAIL).verified
    ask_question(patient)
    question = Question.objects.get(title=TITLE)
    assert question.status == Question.Status.PENDING

    approve_question(open_page("desktop"), moderator)
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED

    publish_reply(open_page("desktop"), doctor)
    assert question.replies.get().status == Reply.Status.PUBLISHED

    publish_article(open_page("desktop"), editor, doctor)
    assert Article.objects.get(title=ARTICLE_TITLE).status == Article.Status.PUBLISHED

    for viewport in ("desktop", "phone"):
        read_as_visitor(open_page(viewport), doctor, earlier)


def test_patient_signs_up_and_verifies_the_email_from_the_sent_message(open_page, mailoutbox):
    browser_page = open_page("phone")
    sign_up_and_verify(browser_page, mailoutbox, "new.patient@example.org")

    assert EmailAddress.objects.get(email="new.patient@example.org").verified
    page = browser_page.page
    # On a phone the header's links are behind the "Menu" disclosure.
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("button", name="Log out").count() == 1
    assert serious_accessibility_violations(page) == []
