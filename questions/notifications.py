"""E-mails to a question's author. Each is sent after the surrounding transaction
commits, and a failing mail server is logged, never raised: the data is already saved."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from questions.models import Question

logger = logging.getLogger("questions.notifications")


def send_after_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    """Queue one plain-text e-mail for after the current transaction commits."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    body = render_to_string(template, context)

    def send() -> None:
        try:
            send_mail(subject, body, None, [to], fail_silently=False)
        except Exception:  # noqa: BLE001 - any mail-server failure must not break the request
            logger.exception("e-mail could not be sent (template=%s)", template)

    transaction.on_commit(send)


def _notify_author(question: Question, subject: str, template: str, **context) -> None:
    if question.author_id is None or not question.author.email:
        return
    send_after_commit(
        to=question.author.email,
        subject=f"[{settings.SITE_NAME}] {subject}",
        template=template,
        context={"question": question, **context},
    )


def notify_question_published(*, question: Question) -> None:
    """Tell the author their question passed moderation and is public."""
    _notify_author(question, "Your question is published", "emails/question_published.txt")


def notify_question_rejected(*, question: Question) -> None:
    """Tell the author their question was not published, and why."""
    _notify_author(question, "Your question was not published", "emails/question_rejected.txt")


def notify_question_answered(*, question: Question) -> None:
    """Tell the author a doctor has answered, with a link to the page."""
    _notify_author(question, "A doctor answered your question", "emails/question_answered.txt")
