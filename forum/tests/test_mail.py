"""The e-mail outbox (forum/mail.py) on the database task backend, as in production:
queued in the transaction of the change, sent by the worker once, retried with
back-off, recovered after a worker dies; settings, unsubscribe and language."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from forum import mail as outbox
from forum.models import OutgoingEmail
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.actions import reject_question
from questions.notifications import notify_question_answered, notify_question_published
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

REFUSING = "forum.tests.mail_backends.RefusingBackend"


@pytest.fixture
def database_queue(settings):
    """The production task backend: the task row is written in the caller's transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    settings.EMAIL_RETRY_MAX_SECONDS = 600
    settings.EMAIL_MAX_ATTEMPTS = 4


def run_worker() -> None:
    """What `manage.py db_worker` does, until the queue has nothing ready. The worker
    closes "old" database connections between tasks, which on PostgreSQL would close the
    test's own transaction: here that step is left out."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            interval=0,
            stdout=StringIO(),
        )


def ready_tasks():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def test_a_rolled_back_change_queues_nothing(database_queue):
    question = QuestionFactory(author__email="asker@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_question_answered(question=question)
        assert OutgoingEmail.objects.count() == 1
        assert ready_tasks().count() == 1
        raise RuntimeError("the reply failed to save")
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_the_message_and_its_task_are_queued_together_and_the_worker_sends_it(database_queue):
    question = QuestionFactory(author__email="asker@example.org")
    with transaction.atomic():
        notify_question_answered(question=question)
    message = OutgoingEmail.objects.get()
    task = ready_tasks().get()
    assert message.task_id == str(task.id)
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert mail.outbox == []  # nothing leaves the request: the worker sends it

    run_worker()

    (sent,) = mail.outbox
    assert sent.to == ["asker@example.org"]
    assert sent.extra_headers["Message-ID"] == message.headers["Message-ID"]
    message.refresh_from_db()
    assert message.status == OutgoingEmail.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1


def test_a_sent_message_is_never_sent_again(database_queue):
    notify_question_answered(question=QuestionFactory())
    message = OutgoingEmail.objects.get()
    assert outbox.deliver(message.pk) == "sent"
    # A duplicate task (a recovery racing the original) finds it sent.
    assert outbox.deliver(message.pk) == "skipped"
    outbox.deliver_email.enqueue(message.pk)
    run_worker()
    assert len(mail.outbox) == 1


def test_a_message_another_worker_holds_is_skipped(database_queue):
    notify_question_answered(question=QuestionFactory())
    message = OutgoingEmail.objects.get()
    OutgoingEmail.objects.update(claimed_until=timezone.now() + timedelta(minutes=5))
    assert outbox.deliver(message.pk) == "skipped"
    assert mail.outbox == []


def test_a_failed_send_is_retried_with_exponential_back_off(database_queue, settings):
    settings.EMAIL_BACKEND = REFUSING
    notify_question_answered(question=QuestionFactory())
    message = OutgoingEmail.objects.get()
    delays = []
    for attempt in (1, 2, 3):
        before = timezone.now()
        assert outbox.deliver(message.pk) == "retry"
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.status == OutgoingEmail.Status.PENDING
        assert message.last_error == "ConnectionRefusedError"
        retry = ready_tasks().get(id=message.task_id)
        delays.append(round((retry.run_after - before).total_seconds() / 60))
        # The worker leaves it until then.
        assert not DBTaskResult.objects.ready().filter(id=retry.id).exists()
        OutgoingEmail.objects.update(claimed_until=None)
        retry.delete()
    assert delays == [1, 2, 4]
    assert mail.outbox == []


def test_back_off_is_capped(settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    settings.EMAIL_RETRY_MAX_SECONDS = 600
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 4, 5, 9)] == [
        60,
        120,
        480,
        600,
        600,
    ]


def test_a_message_is_given_up_after_the_last_attempt_and_logged(database_queue, settings, caplog):
    settings.EMAIL_BACKEND = REFUSING
    notify_question_answered(question=QuestionFactory(author__email="asker@example.org"))
    message = OutgoingEmail.objects.get()
    OutgoingEmail.objects.update(attempts=settings.EMAIL_MAX_ATTEMPTS - 1)
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutgoingEmail.Status.FAILED
    assert "could not be sent after 4 attempts" in caplog.text
    assert "asker@example.org" not in caplog.text
    assert ready_tasks().exclude(id=message.task_id).count() == 0


def test_the_message_a_killed_worker_held_is_requeued_and_sent_once(database_queue):
    notify_question_answered(question=QuestionFactory())
    message = OutgoingEmail.objects.get()
    # A worker claimed the task and the message, then was killed (-9) mid-send: the task
    # stays "running" for ever and the message's claim runs out.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    OutgoingEmail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1), attempts=1)
    out = StringIO()
    call_command("requeue_email", "--dry-run", stdout=out)
    assert "Would requeue 1 e-mail(s)." in out.getvalue()
    call_command("requeue_email", stdout=out)
    assert "Requeued 1 e-mail(s)." in out.getvalue()
    call_command("requeue_email", stdout=out)  # idempotent: it has a ready task now
    assert "Requeued 0 e-mail(s)." in out.getvalue()
    run_worker()
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutgoingEmail.Status.SENT
    assert message.attempts == 2


def test_requeue_leaves_alone_messages_waiting_for_their_retry(database_queue, settings):
    settings.EMAIL_BACKEND = REFUSING
    notify_question_answered(question=QuestionFactory())
    outbox.deliver(OutgoingEmail.objects.get().pk)
    assert outbox.requeue_stalled() == 0


# Settings respected -------------------------------------------------------------------


def test_no_answered_email_when_the_author_turned_question_e_mails_off(database_queue):
    question = QuestionFactory(author__email_question_updates=False)
    notify_question_answered(question=question)
    assert not OutgoingEmail.objects.exists()


def test_no_answered_email_about_a_question_the_author_muted(database_queue):
    muted = QuestionFactory(emails_muted=True)
    other = QuestionFactory(author=muted.author)
    notify_question_answered(question=muted)
    notify_question_answered(question=other)
    assert list(OutgoingEmail.objects.values_list("question_id", flat=True)) == [other.pk]


def test_an_unsubscribe_before_the_send_cancels_the_queued_message(database_queue):
    question = QuestionFactory()
    notify_question_answered(question=question)
    outbox.set_topic(user=question.author, topic=outbox.QUESTION_UPDATES, wanted=False)
    run_worker()
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.CANCELLED


def test_a_rejection_is_essential_and_sent_whatever_the_settings(moderator, database_queue):
    question = PendingQuestionFactory(author__email_question_updates=False, emails_muted=True)
    reject_question(question=question, moderator=moderator, reason="Duplicate")
    run_worker()
    (sent,) = mail.outbox
    assert "List-Unsubscribe" not in sent.extra_headers
    assert "unsubscribe" not in sent.body.lower()


def test_moderation_alerts_go_only_to_moderators_who_want_them(settings, database_queue):
    settings.MODERATION_ALERT_HOURS = 1
    ModeratorFactory(email="wants@example.org")
    ModeratorFactory(email="not@example.org", email_moderation_alerts=False)
    late = PendingQuestionFactory()
    PendingQuestionFactory._meta.model.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    call_command("send_digests", stdout=StringIO())
    run_worker()
    assert [m.to for m in mail.outbox] == [["wants@example.org"]]
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# Unsubscribe: link, headers, one click ------------------------------------------------


def _answered_mail(**question):
    question = QuestionFactory(**question)
    with transaction.atomic():
        notify_question_answered(question=question)
    run_worker()
    return question, mail.outbox[-1]


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_non_essential_email_carries_the_rfc_8058_headers_and_links(database_queue, settings):
    settings.SITE_URL = "https://forum.example.org"
    question, sent = _answered_mail()
    header = sent.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://forum.example.org/email/unsubscribe/")
    assert header.endswith("/>")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in sent.body
    assert "Stop e-mails about this question:" in sent.body
    assert "https://forum.example.org/accounts/email-settings/" in sent.body


def test_the_unsubscribe_link_asks_first_and_unsubscribes_on_post(database_queue):
    question, sent = _answered_mail()
    url = _path(sent.extra_headers["List-Unsubscribe"][1:-1])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop e-mails about my questions (published, answered)?" in page.content.decode()
    question.author.refresh_from_db()
    assert question.author.email_question_updates is True  # a GET changes nothing

    done = client.post(url)
    assert done.status_code == 200
    assert "Done: you will no longer get" in done.content.decode()
    question.author.refresh_from_db()
    assert question.author.email_question_updates is False


def test_one_click_post_unsubscribes_without_log_in_or_csrf(database_queue):
    question, sent = _answered_mail()
    url = _path(sent.extra_headers["List-Unsubscribe"][1:-1])
    response = Client(enforce_csrf_checks=True).post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    question.author.refresh_from_db()
    assert question.author.email_question_updates is False
    notify_question_published(question=QuestionFactory(author=question.author))
    assert OutgoingEmail.objects.count() == 1  # the first, already sent


def test_the_per_question_link_stops_only_that_question(database_queue):
    question, sent = _answered_mail()
    line = next(x for x in sent.body.splitlines() if x.startswith("Stop e-mails about this"))
    url = _path(line.split(": ", 1)[1])
    assert Client().post(url).status_code == 200
    question.refresh_from_db()
    question.author.refresh_from_db()
    assert question.emails_muted is True
    assert question.author.email_question_updates is True


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"u": 1, "t": "questions"}, salt="another-salt"),
        signing.dumps({"u": 1, "t": "everything"}, salt=outbox.UNSUBSCRIBE_SALT),
    ],
    # Fixed names: the signed tokens carry the time, and parallel workers must collect
    # the same test ids.
    ids=["not-a-token", "another-salt", "unknown-topic"],
)
def test_a_forged_or_broken_token_is_a_clear_400(token):
    UserFactory()
    url = reverse("forum:unsubscribe", args=[token])
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()


def test_a_question_token_cannot_mute_another_persons_question(database_queue):
    victim_question = QuestionFactory()
    stranger = UserFactory()
    token = outbox.unsubscribe_token(
        user=stranger, topic=outbox.ONE_QUESTION, question_id=victim_question.pk
    )
    response = Client().post(reverse("forum:unsubscribe", args=[token]))
    assert response.status_code == 400
    victim_question.refresh_from_db()
    assert victim_question.emails_muted is False


def test_account_security_mail_has_no_unsubscribe(client, database_queue):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "sunny-harbour-41",
            "password2": "sunny-harbour-41",
            "consent": "on",
        },
    )
    message = OutgoingEmail.objects.get()
    assert message.kind == "account/email/email_confirmation_signup"
    run_worker()
    (sent,) = mail.outbox
    assert "List-Unsubscribe" not in sent.extra_headers
    assert sent.to == ["new@example.org"]


# The settings pages ------------------------------------------------------------------


def test_email_settings_need_a_log_in(client):
    response = client.get(reverse("forum:email-settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("patient", {"question_updates", "information_requests", "report_outcomes"}),
        (
            "doctor",
            {
                "question_updates",
                "information_requests",
                "digest",
                "answer_reminders",
                "report_outcomes",
                "follow_ups",
            },
        ),
        (
            "moderator",
            {"question_updates", "information_requests", "moderation_alerts", "report_outcomes"},
        ),
    ],
)
def test_email_settings_show_each_role_its_own_e_mails(client, who, shown):
    user = {
        "patient": UserFactory,
        "doctor": lambda: DoctorProfileFactory().user,
        "moderator": ModeratorFactory,
    }[who]()
    sign_in(client, user)
    response = client.get(reverse("forum:email-settings"))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == shown
    html = response.content.decode()
    assert '<label for="id_question_updates">' in html


def test_email_settings_save(client):
    doctor = DoctorProfileFactory(wants_digest=True)
    client.force_login(doctor.user)
    response = client.post(reverse("forum:email-settings"), {"digest": "on"})
    assert response.status_code == 302
    doctor.refresh_from_db()
    doctor.user.refresh_from_db()
    assert doctor.wants_digest is True
    assert doctor.user.email_question_updates is False


def test_only_the_author_sees_or_changes_a_questions_e_mails(client):
    question = QuestionFactory()
    url = reverse("questions:emails", args=[question.pk])
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"emails": "off"}).status_code == 404
    question.refresh_from_db()
    assert question.emails_muted is False

    client.force_login(question.author)
    assert "Stop e-mails about this question" in client.get(url).content.decode()
    assert client.post(url, {"emails": "off"}).status_code == 302
    question.refresh_from_db()
    assert question.emails_muted is True
    client.post(url, {"emails": "on"})
    question.refresh_from_db()
    assert question.emails_muted is False


def test_my_questions_links_each_questions_e_mail_setting(client):
    question = QuestionFactory()
    client.force_login(question.author)
    html = client.get(reverse("questions:mine")).content.decode()
    assert reverse("questions:emails", args=[question.pk]) in html
    assert reverse("forum:email-settings") in html


# Language -----------------------------------------------------------------------------


def test_email_goes_out_in_the_recipients_language(database_queue):
    question = QuestionFactory(author__language="zh-hant")
    notify_question_answered(question=question)
    run_worker()
    (sent,) = mail.outbox
    assert "醫師" in sent.subject
    assert "醫師已回覆" in sent.body


def test_email_without_a_language_goes_out_in_the_site_default(database_queue, settings):
    settings.LANGUAGE_CODE = "zh-hant"
    notify_question_answered(question=QuestionFactory(author__language=""))
    notify_question_answered(question=QuestionFactory(author__language="en"))
    run_worker()
    chinese, english = mail.outbox
    assert "醫師" in chinese.subject
    assert english.subject.endswith("A doctor answered your question")


def test_the_e_mail_pages_make_a_fixed_number_of_queries(
    client, database_queue, django_assert_num_queries
):
    question = QuestionFactory()
    token = outbox.unsubscribe_token(user=question.author, topic=outbox.QUESTION_UPDATES)
    with django_assert_num_queries(1):  # the token's account
        assert Client().get(reverse("forum:unsubscribe", args=[token])).status_code == 200
    client.force_login(question.author)
    # Session, user, doctor profile, groups (moderator?), the header's doctor check.
    with django_assert_num_queries(5):
        assert client.get(reverse("forum:email-settings")).status_code == 200
    # Session, user, the question, the header's doctor and group checks.
    with django_assert_num_queries(5):
        assert client.get(reverse("questions:emails", args=[question.pk])).status_code == 200
