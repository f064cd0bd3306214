"""E-mails to doctors and moderators. Like questions.notifications, each is sent after
the surrounding transaction commits, and a failing mail server is logged, never raised."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from answers.models import Reply
from forum.models import DoctorProfile
from questions.notifications import send_after_commit

logger = logging.getLogger("answers.notifications")


def notify_doctor_status(*, doctor: DoctorProfile) -> None:
    """Tell a doctor a moderator verified, rejected, suspended or restored their account."""
    if not doctor.user.email:
        return
    send_after_commit(
        to=doctor.user.email,
        subject=f"[{settings.SITE_NAME}] Doctor account {doctor.get_status_display().lower()}",
        template="emails/doctor_status.txt",
        context={"doctor": doctor},
    )


def notify_reply_moderated(*, reply: Reply) -> None:
    """Tell a doctor a moderator sent their reply back or hid it, and why."""
    email = reply.doctor.user.email
    if not email:
        return
    what = "sent back" if reply.is_returned else "hidden"
    send_after_commit(
        to=email,
        subject=f"[{settings.SITE_NAME}] Your reply was {what}",
        template="emails/reply_moderated.txt",
        context={"reply": reply, "what": what},
    )


def send_digest_after_commit(
    *, to: str, subject: str, template: str, context: dict, on_failure: Callable[[], None]
) -> None:
    """Queue a digest for after commit; if sending fails, `on_failure` undoes its bookkeeping
    so the next run tries again instead of the questions being lost for that recipient."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    body = render_to_string(template, context)

    def send() -> None:
        try:
            send_mail(subject, body, None, [to], fail_silently=False)
        except Exception:  # noqa: BLE001 - a mail-server failure must not stop the other digests
            logger.exception("digest could not be sent (template=%s)", template)
            on_failure()

    transaction.on_commit(send)
