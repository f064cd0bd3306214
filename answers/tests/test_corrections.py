"""A patient asks the moderators to correct their published question: the report page
in its author's form, the queue lists it first, the moderator edits (or declines) and
the author is told; it never hides the question."""

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import Report
from forum.tests.factories import UserFactory
from questions.models import Question
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

FIX = "Please change the age range to 30~39, I chose the wrong one."


def correction_url(question):
    return reverse("answers:report", kwargs={"kind": "question", "pk": question.pk})


def test_my_questions_offers_a_correction_for_published_questions_only(
    client, patient, question, specialty
):
    pending = QuestionFactory(author=patient, specialty=specialty, status="pending")
    client.force_login(patient)
    page = client.get(reverse("questions:mine")).content.decode()
    assert f'href="{correction_url(question)}"' in page
    assert f'href="{correction_url(pending)}"' not in page  # its author edits it


def test_the_author_sees_the_correction_form_and_others_the_report_form(client, patient, question):
    client.force_login(patient)
    page = client.get(correction_url(question)).content.decode()
    assert "<h1>Ask for a correction</h1>" in page
    assert "Please correct my question" in page
    assert "Spam or advertising" not in page
    client.force_login(UserFactory(email="reader@example.org"))
    page = client.get(correction_url(question)).content.decode()
    assert "<h1>Report to the moderators</h1>" in page
    assert "Please correct my question" not in page


def test_nobody_else_can_send_a_correction_request(client, question):
    client.force_login(UserFactory(email="reader@example.org"))
    response = client.post(correction_url(question), {"reason": "correction", "text": FIX})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_a_correction_needs_to_say_what_to_correct_and_keeps_what_was_chosen(
    client, patient, question
):
    client.force_login(patient)
    response = client.post(correction_url(question), {"reason": "correction", "text": " "})
    assert "Please say what to correct." in response.content.decode()
    assert not Report.objects.exists()


def test_correction_requests_never_hide_the_question(client, patient, question, settings):
    settings.REPORT_HIDE_THRESHOLD = 1
    client.force_login(patient)
    response = client.post(correction_url(question), {"reason": "correction", "text": FIX})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    report = Report.objects.get()
    assert (report.reason, report.text, report.hid_item) == ("correction", FIX, False)


def test_the_queue_lists_a_correction_first_and_the_moderators_edit_tells_the_author(
    client,
    patient,
    question,
    moderator,
    login_with_two_factor,
    specialty,
    django_capture_on_commit_callbacks,
):
    reported = QuestionFactory(specialty=specialty, title="Is this rash contagious?")
    for n in range(2):
        client.force_login(UserFactory(email=f"reader{n}@example.org"))
        client.post(correction_url(reported), {"reason": "spam"})
    client.force_login(patient)
    client.post(correction_url(question), {"reason": "correction", "text": FIX})

    client.logout()
    login_with_two_factor(client, moderator)
    queue = client.get(reverse("answers:moderation-reports")).content.decode()
    assert "The author asks for a correction" in queue
    assert queue.index(question.title) < queue.index(reported.title)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("answers:report-decide", kwargs={"kind": "question", "pk": question.pk}),
            {
                "decision": "redact",
                "reason": "Age range corrected at the author's request",
                "title": question.title,
                "body": question.body + " (Age range corrected.)",
            },
        )
    question.refresh_from_db()
    assert question.body.endswith("(Age range corrected.)")
    assert question.status == Question.Status.PUBLISHED
    [message] = [m for m in mail.outbox if m.to == [patient.email]]
    assert "They corrected your question." in message.body


def test_a_declined_correction_tells_the_author_how_to_withdraw(
    client, patient, question, moderator, django_capture_on_commit_callbacks
):
    from answers.actions.reports import decide_reports, report_item

    report_item(reporter=patient, kind="question", item=question, reason="correction", text=FIX)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide_reports(kind="question", item=question, moderator=moderator, decision="dismiss")
    [message] = mail.outbox
    assert "They left your question as it was." in message.body
    assert "withdraw it from “My questions”" in message.body
