"""The one way the site sends e-mail: a durable outbox on django-tasks.

`send_template_email` (and `queue_email` under it) writes an `OutgoingEmail` row and
enqueues the task that sends it, both in the transaction of the change that caused the
message: with the database task backend a rollback leaves nothing queued, and a commit
means the message goes out even if the mail server is down for an hour. The worker
(`manage.py db_worker`) claims the row, sends it, and marks it sent once; a failed send
re-enqueues itself with `run_after` and exponential back-off (django-tasks has no retries
of its own) until EMAIL_MAX_ATTEMPTS, then the message is logged as failed. A worker
killed mid-send leaves its claim to expire: `manage.py requeue_email` (cron) hands such
messages a new task.

Delivery is exactly once on the site's side: a message marked sent is never sent again,
and two workers never hold the same message at once. The one window left is the SMTP
protocol's own: a worker killed after the server accepted the message and before the row
is marked sent resends it; the stable Message-ID lets a mailbox recognise the copy.

Non-essential mail names a topic (TOPICS): the recipient's setting is checked when the
message is queued and again when it is sent (an unsubscribe during an outage holds), and
the message carries a signed one-click unsubscribe link and the RFC 8058 headers.
Account security mail (password, confirmation) and moderators' decisions about a person's
own content have no topic: they are essential, with no unsubscribe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from forum.models import DoctorProfile, OutgoingEmail, User
from forum.reversing import fast_reverse

logger = logging.getLogger("forum.mail")

# Topics of non-essential mail, each one setting of the account's "E-mail settings" page.
QUESTION_UPDATES = "questions"
DIGEST = "digest"
MODERATION_ALERTS = "moderation"
REPORT_OUTCOMES = "reports"
REVIEW_REMINDERS = "reviews"
FOLLOW_UPS = "follow-ups"
INFORMATION_REQUESTS = "information"
ANSWER_REMINDERS = "answer-reminders"
TOPICS = {
    QUESTION_UPDATES: _("e-mails about my questions (published, answered)"),
    DIGEST: _("the digest of new questions in my specialties"),
    MODERATION_ALERTS: _("alerts about questions waiting for moderation"),
    REPORT_OUTCOMES: _("what moderators decided about what I reported"),
    REVIEW_REMINDERS: _("reminders of articles past their review date"),
    FOLLOW_UPS: _("askers' follow-ups to my replies"),
    INFORMATION_REQUESTS: _("a doctor asks me for more information about my question"),
    ANSWER_REMINDERS: _("reminders of questions waiting too long in my specialties"),
}
# An unsubscribe link for one question only ("stop e-mails about this question").
ONE_QUESTION = "question"

UNSUBSCRIBE_SALT = "forum.mail.unsubscribe"

# The questions app registers how a question's "stop e-mails about this" is read and
# written (questions/apps.py): this layer sits below it and cannot import it.
_question_muted: list[Callable[[User, int], bool]] = []
_mute_question: list[Callable[[User, int], bool]] = []


# The account field that turns each topic on or off (the doctors' digest is a setting of
# their profile, DIGEST, handled apart).
ACCOUNT_FIELDS = {
    QUESTION_UPDATES: "email_question_updates",
    MODERATION_ALERTS: "email_moderation_alerts",
    REPORT_OUTCOMES: "email_report_outcomes",
    REVIEW_REMINDERS: "email_review_reminders",
    FOLLOW_UPS: "email_follow_ups",
    INFORMATION_REQUESTS: "email_information_requests",
    ANSWER_REMINDERS: "email_answer_reminders",
}


def register_question_mute(*, is_muted: Callable[[User, int], bool], mute: Callable) -> None:
    """Let the app that owns questions answer "did this user mute this question?" and
    mute one (returning False when the question is not theirs)."""
    _question_muted.append(is_muted)
    _mute_question.append(mute)


def language_for(user: User | None) -> str:
    """The language of the person's e-mails: theirs, else the site's default."""
    return (user.language if user is not None else "") or settings.LANGUAGE_CODE


def wants_email(user: User, topic: str, question_id: int | None = None) -> bool:
    """Whether the person still wants this non-essential mail (essential mail: topic "")."""
    if not topic:
        return True
    if not user.is_active:
        return False
    if topic == DIGEST:
        wanted = DoctorProfile.objects.filter(user=user, wants_digest=True).exists()
    elif topic in ACCOUNT_FIELDS:
        wanted = getattr(user, ACCOUNT_FIELDS[topic])
    else:
        raise ValueError(f"unknown e-mail topic {topic!r}")
    if wanted and question_id is not None:
        wanted = not any(is_muted(user, question_id) for is_muted in _question_muted)
    return wanted


def set_topic(*, user: User, topic: str, wanted: bool) -> None:
    """Turn one topic of non-essential mail on or off for the account."""
    if topic == DIGEST:
        DoctorProfile.objects.filter(user=user).update(wants_digest=wanted)
    elif topic in ACCOUNT_FIELDS:
        field = ACCOUNT_FIELDS[topic]
        User.objects.filter(pk=user.pk).update(**{field: wanted})
        setattr(user, field, wanted)
    else:
        raise ValueError(f"unknown e-mail topic {topic!r}")


def unsubscribe_token(*, user: User, topic: str, question_id: int | None = None) -> str:
    """A signed token naming who stops which mail: it needs no log-in, and it cannot be
    forged for another account or another topic."""
    payload: dict = {"u": user.pk, "t": topic}
    if question_id is not None:
        payload["q"] = question_id
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, str, int | None] | None:
    """The (user, topic, question id) a token names; None for a bad or stale token."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    topic, question_id = payload.get("t"), payload.get("q")
    if topic not in (*TOPICS, ONE_QUESTION) or (topic == ONE_QUESTION) != (question_id is not None):
        return None
    user = User.objects.filter(pk=payload.get("u")).first()
    return (user, topic, question_id) if user is not None else None


def unsubscribe(*, user: User, topic: str, question_id: int | None = None) -> bool:
    """Stop the mail a token names; False when the question is not the user's."""
    if topic == ONE_QUESTION:
        assert question_id is not None
        return any(mute(user, question_id) for mute in _mute_question)
    set_topic(user=user, topic=topic, wanted=False)
    return True


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + fast_reverse("forum:unsubscribe", token=token)


def send_template_email(
    *,
    recipient: User,
    template: str,
    subject: Callable[[], str],
    context: dict | None = None,
    topic: str = "",
    question_id: int | None = None,
) -> OutgoingEmail | None:
    """Render a plain-text e-mail in the recipient's language and queue it in the current
    transaction. `subject` is called under that language (so it can use gettext). None
    when the address is empty or the person turned this topic off."""
    if not recipient.email or not wants_email(recipient, topic, question_id):
        return None
    headers: dict[str, str] = {}
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **(context or {})}
    if topic:
        topic_url = unsubscribe_url(unsubscribe_token(user=recipient, topic=topic))
        context["unsubscribe_url"] = topic_url
        if question_id is not None:
            context["question_unsubscribe_url"] = unsubscribe_url(
                unsubscribe_token(user=recipient, topic=ONE_QUESTION, question_id=question_id)
            )
        # RFC 8058: mail clients offer "Unsubscribe" and POST to the URL in one click.
        headers["List-Unsubscribe"] = f"<{topic_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override(language_for(recipient)):
        text = f"[{settings.SITE_NAME}] {subject()}"
        body = render_to_string(template, context)
    return queue_email(
        to=recipient.email,
        subject=text,
        body=body,
        kind=template,
        recipient=recipient,
        topic=topic,
        question_id=question_id,
        headers=headers,
    )


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    recipient: User | None = None,
    topic: str = "",
    question_id: int | None = None,
    html_body: str = "",
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> OutgoingEmail:
    """Write the message to the outbox and enqueue its task, in the current transaction."""
    with transaction.atomic():
        message = OutgoingEmail.objects.create(
            recipient=recipient,
            to=to,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            subject=subject[:300],
            body=body,
            html_body=html_body,
            headers={**(headers or {}), "Message-ID": make_msgid(domain=_mail_domain())},
            kind=kind[:100],
            topic=topic,
            question_id=question_id,
        )
        _enqueue(message)
    return message


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "localhost"


def _backend_queues_in_database() -> bool:
    return isinstance(task_backends[deliver_email.backend], DatabaseBackend)


def _enqueue(message: OutgoingEmail, run_after=None) -> None:
    """The database backend writes the task row in this transaction. Any other backend
    (the immediate one of `make run` and the unit tests) runs the task at once, so it is
    started only after commit: a rollback must not have sent anything."""
    if _backend_queues_in_database():
        queued = deliver_email.using(run_after=run_after) if run_after else deliver_email
        result = queued.enqueue(message.pk)
        OutgoingEmail.objects.filter(pk=message.pk).update(task_id=str(result.id))
    elif run_after is None:
        transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    # Else a backend that cannot defer: the message waits, claimed until its retry time,
    # for `requeue_email`.


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the n-th failed attempt, capped."""
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


@task()
def deliver_email(message_id: int) -> str:
    """The worker's task: send one outbox message unless it was sent already."""
    return deliver(message_id)


def deliver(message_id: int) -> str:
    """Claim, send and mark sent; on failure, retry later or give up. Returns what happened
    ("sent", "skipped", "cancelled", "retry", "failed")."""
    now = timezone.now()
    lease = timedelta(seconds=settings.EMAIL_SEND_LEASE_SECONDS)
    # A conditional UPDATE is the claim: of two workers holding tasks for one message
    # (a recovered task beside a slow original), one wins and the other skips.
    claimed = (
        OutgoingEmail.objects.filter(pk=message_id, status=OutgoingEmail.Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    message = OutgoingEmail.objects.select_related("recipient").get(pk=message_id)
    if (
        message.topic
        and message.recipient
        and not wants_email(message.recipient, message.topic, message.question_id)
    ):
        _finish(message, OutgoingEmail.Status.CANCELLED)
        return "cancelled"
    try:
        _build(message).send()
    except Exception as exc:  # noqa: BLE001 - any mail-server failure is retried
        return _retry_or_fail(message, exc)
    _finish(message, OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("e-mail #%s sent (%s, attempt %s)", message.pk, message.kind, message.attempts)
    return "sent"


def _build(message: OutgoingEmail) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        message.subject,
        message.body,
        message.from_email,
        [message.to],
        headers=message.headers,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def _finish(message: OutgoingEmail, status: str, **fields) -> None:
    OutgoingEmail.objects.filter(pk=message.pk, status=OutgoingEmail.Status.PENDING).update(
        status=status, claimed_until=None, **fields
    )


def _retry_or_fail(message: OutgoingEmail, exc: Exception) -> str:
    # The exception's class only: SMTP errors can quote the recipient's address.
    error = type(exc).__name__
    if message.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        _finish(message, OutgoingEmail.Status.FAILED, last_error=error)
        logger.error(
            "e-mail #%s could not be sent after %s attempts, given up (%s, %s)",
            message.pk,
            message.attempts,
            message.kind,
            error,
        )
        return "failed"
    run_after = timezone.now() + retry_delay(message.attempts)
    with transaction.atomic():
        # Claimed until the retry: `requeue_email` leaves it to the task enqueued here.
        OutgoingEmail.objects.filter(pk=message.pk).update(
            claimed_until=run_after, last_error=error
        )
        _enqueue(message, run_after=run_after)
    logger.warning(
        "e-mail could not be sent (e-mail #%s, template=%s, attempt %s, %s): retrying at %s",
        message.pk,
        message.kind,
        message.attempts,
        error,
        run_after.isoformat(timespec="seconds"),
    )
    return "retry"


def stalled_messages(now=None):
    """Pending messages no live task will send: their worker died mid-send (the claim
    expired), or the process that would have started their task after commit stopped."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.EMAIL_SEND_LEASE_SECONDS)
    stalled = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).filter(
        Q(claimed_until__lt=now) | Q(claimed_until__isnull=True, created_at__lt=now - lease)
    )
    if _backend_queues_in_database():
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        # Ready tasks, including retries whose run_after is still ahead.
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list(
            "id", flat=True
        )
        stalled = stalled.exclude(task_id__in=[str(pk) for pk in waiting])
    return stalled


def requeue_stalled(*, dry_run: bool = False) -> int:
    """Give each stalled message a new task; how many."""
    count = 0
    for message in stalled_messages():
        if not dry_run:
            with transaction.atomic():
                OutgoingEmail.objects.filter(pk=message.pk).update(claimed_until=None)
                if _backend_queues_in_database():
                    _enqueue(message)
                else:
                    transaction.on_commit(lambda pk=message.pk: deliver(pk))
        count += 1
    return count


def retry_failed(ids) -> int:
    """Send again the messages among `ids` that failed (a staff action in admin, once the
    mail server is fixed): each starts over with a fresh count of attempts. How many."""
    count = 0
    with transaction.atomic():
        failed = OutgoingEmail.objects.select_for_update().filter(
            pk__in=list(ids), status=OutgoingEmail.Status.FAILED
        )
        for message in failed:
            OutgoingEmail.objects.filter(pk=message.pk).update(
                status=OutgoingEmail.Status.PENDING, attempts=0, claimed_until=None, last_error=""
            )
            _enqueue(message)
            count += 1
    return count
