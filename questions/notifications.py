"""E-mails to a question's author, through the outbox (forum/mail.py): queued in the
transaction of the moderation or reply that caused them, sent by the worker, in the
author's language. "Published" and "answered" are non-essential (the author's "e-mails
about my questions" setting and the question's own "stop e-mails about this"); a
rejection, which says why the question is not public, is always sent."""

from __future__ import annotations

from django.utils.translation import gettext

from forum.mail import QUESTION_UPDATES, send_template_email
from questions.models import FollowUp, Question


def _notify_author(
    question: Question, subject, template: str, *, optional: bool = True, **context
) -> None:
    if question.author_id is None:
        return
    send_template_email(
        recipient=question.author,
        template=template,
        subject=subject,
        context={"question": question, **context},
        topic=QUESTION_UPDATES if optional else "",
        question_id=question.pk if optional else None,
    )


def notify_question_published(*, question: Question) -> None:
    """Tell the author their question passed moderation and is public."""
    _notify_author(
        question,
        lambda: gettext("Your question is published"),
        "emails/question_published.txt",
    )


def notify_question_rejected(*, question: Question) -> None:
    """Tell the author their question was not published, and why."""
    _notify_author(
        question,
        lambda: gettext("Your question was not published"),
        "emails/question_rejected.txt",
        optional=False,
    )


def notify_question_answered(*, question: Question) -> None:
    """Tell the author a doctor has answered, with a link to the page."""
    _notify_author(
        question,
        lambda: gettext("A doctor answered your question"),
        "emails/question_answered.txt",
    )


def notify_question_closed_as_duplicate(*, question: Question, original: Question) -> None:
    """Tell the author their question was closed as a duplicate, with the original's link."""
    _notify_author(
        question,
        lambda: gettext("Your question has already been answered"),
        "emails/question_duplicate.txt",
        optional=False,
        original=original,
    )


def notify_follow_up_rejected(*, follow_up: FollowUp) -> None:
    """Tell the author their follow-up was not published, and why (always sent)."""
    _notify_author(
        follow_up.question,
        lambda: gettext("Your follow-up was not published"),
        "emails/follow_up_rejected.txt",
        optional=False,
        follow_up=follow_up,
    )


def notify_follow_up_answered(*, question: Question, reply) -> None:
    """Tell the author the doctor answered their follow-up, with a link to it. `reply`
    is the doctor's answer (answers.models.Reply, with `follow_up` set)."""
    _notify_author(
        question,
        lambda: gettext("A doctor answered your follow-up"),
        "emails/follow_up_answered.txt",
        answer=reply,
    )
