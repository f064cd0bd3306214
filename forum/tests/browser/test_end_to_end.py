"""The end-to-end story in a real browser, built up as the flows land.

Done here (the flows exist today):
  1. A patient signs up at /accounts/signup/ and verifies the e-mail address by following
     the link in the message the site sent (read from Django's locmem outbox, which the
     live server shares with the test), ending up logged in.

Still to add, in this module, as one test `test_question_travels_from_patient_to_reader`
at desktop and phone viewports (open_page("phone")), each page also checked with
`serious_accessibility_violations(page) == []` and `browser_page.screenshot(name)`:
  2. The patient asks a question on questions:ask (nickname, age range, sex, specialty,
     title, text, tags, consent) and sees it as "pending" on questions:mine.
     Screenshot + axe: ask form.
  3. A moderator (ModeratorFactory, logged in through /accounts/login/) approves it in
     the queue at answers:moderation. Screenshot + axe: moderation queue, log-in page.
  4. A verified doctor (DoctorProfileFactory in the question's specialty) opens
     answers:dashboard, picks the question and publishes a reply.
     Screenshot + axe: dashboard.
  5. An editor (EditorFactory) writes an Article in /admin/ and attaches it to the
     question (autocomplete), then publishes it.
  6. An anonymous visitor searches at forum:search for words of the title, opens the
     result and sees the reply, the "More Info" article and "Similar Q&A".
     Screenshot + axe: search results, Q&A page.
Nothing of steps 2-6 is simulated here: they need the ask flow, the moderation queue,
the doctor dashboard, the editors' admin and search, which are being built.
"""

import re

import pytest
from allauth.account.models import EmailAddress

from forum.tests.browser.support import serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up_and_verify(browser_page, mailoutbox, email: str) -> None:
    """Step 1: sign up in the browser, then follow the link from the confirmation e-mail."""
    page = browser_page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()
    page.wait_for_url("**/accounts/confirm-email/")

    assert len(mailoutbox) == 1 and mailoutbox[0].to == [email]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    path = link.split("/accounts/", 1)[1]
    page = browser_page.goto(f"/accounts/{path}")
    page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()
    page.wait_for_load_state()


def test_patient_signs_up_and_verifies_the_email_from_the_sent_message(open_page, mailoutbox):
    browser_page = open_page("phone")
    sign_up_and_verify(browser_page, mailoutbox, "new.patient@example.org")

    assert EmailAddress.objects.get(email="new.patient@example.org").verified
    page = browser_page.page
    assert page.get_by_role("button", name="Log out").count() == 1
    assert serious_accessibility_violations(page) == []
