"""Reports and doctors' agreements in a real browser, through the real pages only (the
accounts, the question and its reply are made with factories):

  1. Two readers log in, follow "Report this reply" on the Q&A page and send a report
     each; the second reaches REPORT_HIDE_THRESHOLD (2 here) and the reply leaves the
     page, for anonymous visitors too (the cached page is refreshed).
  2. A moderator logs in with two-factor, opens the report queue, sees the reply marked
     hidden pending review, opens it and dismisses the reports: the reply is back on the
     page, and both readers got the outcome by e-mail.
  3. A second doctor of the specialty logs in and presses "I agree" under the reply; the
     page then says "1 doctor agrees" with a link to that doctor's public profile.

The report page and the queue are checked with axe-core and leave screenshots.
"""

import re

import pytest

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.models import Report
from forum.tests.browser.support import BrowserPage
from forum.tests.browser.test_end_to_end import check_page, log_in
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import give_totp
from questions.tests.factories import QuestionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

REPLY = "Take twice the usual dose of the painkiller whenever the headache starts again."


def report_the_reply(browser_page: BrowserPage, email: str, path: str, *, check=False) -> None:
    log_in(browser_page, email, two_factor=False)
    page = browser_page.goto(path)
    page.get_by_role("link", name=re.compile("Report this reply")).click()
    page.wait_for_url("**/report/reply/**")
    if check:
        check_page(browser_page, "report-form")
    page.get_by_role("radio", name="Dangerous or wrong medical advice").check()
    page.get_by_label("Details").fill("The dose is too high.")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    assert page.get_by_text("A moderator will review your report.").is_visible()


def test_a_report_hides_a_reply_a_moderator_decides_and_a_doctor_agrees(
    open_page, settings, mailoutbox, specialty
):
    settings.REPORT_HIDE_THRESHOLD = 2
    question = QuestionFactory(specialty=specialty, title="Headache that keeps coming back")
    author = DoctorProfileFactory(display_name="Lin Mei-hua", specialties=[specialty])
    reply = ReplyFactory(question=question, doctor=author, body=REPLY)
    colleague = DoctorProfileFactory(display_name="Wu Ming", specialties=[specialty])
    moderator = ModeratorFactory(email="moderator@example.org")
    give_totp(moderator)
    readers = [
        UserFactory(email="reader.one@example.org"),
        UserFactory(email="reader.two@example.org"),
    ]
    path = question.get_absolute_url()

    anonymous = open_page("desktop")
    assert anonymous.goto(path).get_by_text(REPLY).is_visible()  # now cached

    # 1. Two reports reach the threshold.
    report_the_reply(open_page("desktop"), readers[0].email, path, check=True)
    report_the_reply(open_page("phone"), readers[1].email, path)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.HIDDEN
    page = anonymous.goto(path)
    assert page.get_by_text(REPLY).count() == 0
    assert page.get_by_text("No doctor has replied yet.").is_visible()

    # 2. The moderator dismisses the reports.
    mailoutbox.clear()
    mod = open_page("desktop")
    log_in(mod, moderator.email, two_factor=True)
    page = mod.goto("/moderation/reports/")
    check_page(mod, "report-queue")
    item = page.get_by_role("article", name=re.compile("Reply by Dr. Lin Mei-hua"))
    assert item.get_by_text("Hidden pending review").is_visible()
    assert item.get_by_text("2 open reports").is_visible()
    assert "reader.one@example.org" not in page.content()
    item.get_by_role("link", name="Review and decide").click()
    page.wait_for_url("**/moderation/reports/reply/**")
    check_page(mod, "report-decision")
    assert page.get_by_text("reader.one@example.org").is_visible()
    page.get_by_role("radio", name=re.compile("Dismiss")).check()
    page.get_by_label("Reason").fill("The dose is within the label for adults.")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url("**/moderation/reports/")
    assert page.get_by_text("Decision saved").is_visible()
    assert page.get_by_text("No open reports.").is_visible()
    assert set(Report.objects.values_list("outcome", flat=True)) == {Report.Outcome.DISMISSED}
    outcome_mail = [m for m in mailoutbox if "report" in m.subject.lower()]
    assert sorted(m.to[0] for m in outcome_mail) == [r.email for r in readers]
    assert anonymous.goto(path).get_by_text(REPLY).is_visible()

    # 3. A colleague agrees.
    doctor = open_page("phone")
    log_in(doctor, colleague.user.email, two_factor=False)
    page = doctor.goto(path)
    page.get_by_role("button", name="I agree").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Withdraw my agreement").is_visible()
    page = anonymous.goto(path)
    agreements = page.locator("p.agreements")
    assert agreements.inner_text() == "1 doctor agrees: Dr. Wu Ming"
    assert agreements.get_by_role("link", name="Dr. Wu Ming").get_attribute("href") == (
        colleague.get_absolute_url()
    )
    check_page(anonymous, "qa-page-with-agreement")
