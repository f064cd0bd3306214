"""The logs record authentication and moderation events, and never question text,
e-mail addresses or session ids: markers are planted through real requests and
every captured log record is searched."""

import logging
import re
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse

from forum.logfilters import RedactPersonalData
from forum.models import User
from forum.tests.factories import PASSWORD
from forum.tests.two_factor import login_with_two_factor
from questions.actions import approve_question
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory

pytestmark = pytest.mark.django_db

EMAIL_MARK = "mrkmailqz41"
BODY_MARK = "mrkbodyqz73"
EMAIL = f"{EMAIL_MARK}.person@example.org"
NEW_PASSWORD = "a brand new passphrase for tests"


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write from a record: message, arguments,
    traceback, stack and any extra attributes."""
    parts = [record.getMessage(), repr(record.args), record.stack_info or ""]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    parts += [repr(value) for value in vars(record).values()]
    return " ".join(parts).lower()


def link_in_last_mail() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


# Loggers whose DEBUG output quotes raw data (template contexts, SQL parameters):
# settings pin them above DEBUG, so they never emit it, whatever DJANGO_LOG_LEVEL says.
PINNED = {"django.template": logging.INFO, "django.db.backends": logging.WARNING}


def test_loggers_that_quote_raw_data_are_pinned_above_debug():
    for name, level in PINNED.items():
        assert settings.LOGGING["loggers"][name]["level"] == logging.getLevelName(level)
        assert logging.getLogger(name).getEffectiveLevel() >= level


@pytest.fixture
def capture_everything(caplog):
    """caplog at DEBUG on the root and on every named logger (django.request,
    django.security.*, allauth, ours ...), except the pinned ones above."""
    caplog.set_level(logging.DEBUG)
    names = list(logging.root.manager.loggerDict) + [
        "django.request",
        "django.security.csrf",
        "django.security.DisallowedHost",
        "forum.security",
        "forum.moderation",
        "questions.notifications",
    ]
    for name in names:
        if not any(name == pinned or name.startswith(pinned + ".") for pinned in PINNED):
            caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_logs_never_hold_e_mails_question_text_or_session_ids(
    client, capture_everything, moderator, specialty, django_capture_on_commit_callbacks
):
    caplog = capture_everything
    session_ids = []

    def remember_session():
        session_ids.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    # Sign up, confirm the address (which logs in), log out.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "consent": "on"},
        )
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    confirm = link_in_last_mail()
    client.post(confirm)
    assert client.session["_auth_user_id"] == str(user.pk)
    remember_session()

    # A question with personal text, seen by its author while pending.
    question = PendingQuestionFactory(
        author=user, specialty=specialty, body=f"My symptoms, privately: {BODY_MARK} since May."
    )
    assert client.get(question.get_absolute_url()).status_code == 200
    client.post(reverse("account_logout"))

    # Failed and successful log-ins, on the site and on the admin form.
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password-1"})
    client.post(reverse("admin:login"), {"username": EMAIL, "password": "wrong-password-2"})
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    remember_session()
    client.post(reverse("account_logout"))

    # Password reset, all the way to a new password.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": EMAIL})
    response = client.get(link_in_last_mail(), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # A moderation action (and the e-mail it sends after commit).
    with django_capture_on_commit_callbacks(execute=True):
        approve_question(question=question, moderator=moderator, reason="Fine")
    assert Question.objects.get(pk=question.pk).status == Question.Status.PUBLISHED

    # The same through the moderation queue, when it exists: a moderator, signed
    # in with two-factor, rejects a second question with the author's text in it.
    second = PendingQuestionFactory(
        author=user, specialty=specialty, body=f"More private text: {BODY_MARK} again."
    )
    try:
        reject_url = reverse("answers:question-reject", kwargs={"pk": second.pk})
    except NoReverseMatch:
        reject_url = None
    if reject_url:
        moderator_client = Client()
        login_with_two_factor(moderator_client, moderator)
        with django_capture_on_commit_callbacks(execute=True):
            response = moderator_client.post(reject_url, {"reason": "Please ask one thing."})
        assert response.status_code == 302
        assert Question.objects.get(pk=second.pk).status == Question.Status.REJECTED
        session_ids.append(moderator_client.cookies[settings.SESSION_COOKIE_NAME].value)

    # Throttled log-ins, a forged form and a missing page.
    for _ in range(5):
        client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password-3"})
    client.post(reverse("admin:login"), {"username": EMAIL, "password": "wrong-password-4"})
    Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": EMAIL})
    client.get(f"/no-such-page/{BODY_MARK[:3]}/")

    # The markers really went through the site ...
    assert any(EMAIL in message.to for message in mail.outbox)
    assert len(session_ids) >= 2 and all(session_ids)
    # ... and the logs have the events, by user id ...
    messages = [record.getMessage() for record in caplog.records]
    expected = [
        f"signup user={user.pk} ",
        "login failed client=",
        f"login succeeded user={user.pk} ",
        f"logout user={user.pk}",
        f"password reset user={user.pk} ",
        f"moderation action=approve_question target=questions.question:{question.pk} "
        f"actor={moderator.pk}",
        "login refused: too many failures",
        "Forbidden (CSRF",
        "Not Found: /no-such-page/",
    ]
    for line in expected:
        assert any(line in message for message in messages), line
    # ... but not the e-mail, the question text or a session id, in any record.
    secrets = [EMAIL_MARK, BODY_MARK, *session_ids]
    for record in caplog.records:
        text = record_text(record)
        for secret in secrets:
            assert secret.lower() not in text, (record.name, record.getMessage())


def test_log_handler_removes_e_mails_from_messages_and_tracebacks():
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    assert any(isinstance(f, RedactPersonalData) for f in handler.filters)
    try:
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"No such user")})
    except smtplib.SMTPRecipientsRefused:
        record = logging.getLogger("questions.notifications").makeRecord(
            "questions.notifications",
            logging.ERROR,
            __file__,
            1,
            "e-mail to %s could not be sent",
            (EMAIL,),
            exc_info=__import__("sys").exc_info(),
        )
    assert handler.filter(record)
    line = handler.format(record)
    assert "SMTPRecipientsRefused" in line
    assert EMAIL_MARK not in line
    assert "[e-mail removed]" in line


def test_failed_notification_e_mail_is_logged_without_the_address(
    client, moderator, specialty, monkeypatch, django_capture_on_commit_callbacks
):
    """An SMTP server refusing the author's address: the site's log line (as the
    configured handler writes it) names the failure, never the address."""
    import io

    author = User.objects.create_user(email=EMAIL, password=PASSWORD)
    question = PendingQuestionFactory(author=author, specialty=specialty)

    def refuse(message, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user here")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approve_question(question=question, moderator=moderator)
    finally:
        handler.setStream(previous)
    output = written.getvalue()
    assert "e-mail could not be sent" in output
    assert "SMTPRecipientsRefused" in output
    assert EMAIL_MARK not in output
