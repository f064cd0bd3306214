import pytest
from django.core import mail
from django.urls import reverse

from forum.models import OutgoingEmail
from questions.actions import approve_question, reject_question
from questions.notifications import notify_question_answered
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_no_email_leaves_before_the_transaction_commits(
    moderator, django_capture_on_commit_callbacks
):
    question = PendingQuestionFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approve_question(question=question, moderator=moderator)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_rejection_email_gives_the_reason_and_links_to_my_questions(
    moderator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forum.example.org"
    question = PendingQuestionFactory(author__email="asker@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reject_question(question=question, moderator=moderator, reason="Please remove the name.")
    (message,) = mail.outbox
    assert message.to == ["asker@example.org"]
    assert "Please remove the name." in message.body
    assert f"https://forum.example.org{reverse('questions:mine')}" in message.body
    assert f"https://forum.example.org{reverse('questions:ask')}" in message.body


def test_answered_email_is_sent_exactly_once_with_a_link(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forum.example.org"
    question = QuestionFactory(author__email="asker@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_question_answered(question=question)
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert f"https://forum.example.org{question.get_absolute_url()}" in message.body


def test_no_email_for_a_question_whose_author_left(django_capture_on_commit_callbacks):
    question = QuestionFactory(author=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_question_answered(question=question)
    assert callbacks == []
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_without_the_address_and_the_mail_kept(
    moderator, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "forum.tests.mail_backends.RefusingBackend"
    question = PendingQuestionFactory(author__email="asker@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reject_question(question=question, moderator=moderator, reason="Duplicate")
    question.refresh_from_db()
    assert question.status == "rejected"
    assert "e-mail could not be sent" in caplog.text
    assert "asker@example.org" not in caplog.text
    (kept,) = OutgoingEmail.objects.all()
    assert kept.status == OutgoingEmail.Status.PENDING
    assert kept.last_error == "ConnectionRefusedError"
