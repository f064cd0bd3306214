"""E-mail digests: of questions (a doctor's opt-in, moderators' alerts) and of articles
past their review date (editors and medical reviewers); each delivery sent once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils.translation import gettext

from answers.models import Article, DigestDelivery, ReviewReminder
from forum.mail import (
    ANSWER_REMINDERS,
    DIGEST,
    MODERATION_ALERTS,
    REVIEW_REMINDERS,
    send_template_email,
    wants_email,
)
from forum.models import DoctorProfile, User
from questions.models import Question


def set_digest_preference(*, doctor: DoctorProfile, wants_digest: bool) -> DoctorProfile:
    """Opt the doctor in to or out of the new-questions e-mail digest."""
    DoctorProfile.objects.filter(pk=doctor.pk).update(wants_digest=wants_digest)
    doctor.wants_digest = wants_digest
    return doctor


# Which setting each kind of question e-mail answers to.
DIGEST_TOPICS = {
    DigestDelivery.Kind.DOCTOR: DIGEST,
    DigestDelivery.Kind.MODERATOR: MODERATION_ALERTS,
    DigestDelivery.Kind.REMINDER: ANSWER_REMINDERS,
    DigestDelivery.Kind.ESCALATION: MODERATION_ALERTS,
}


@transaction.atomic
def deliver_digest(
    *,
    recipient,
    kind: str,
    questions: Sequence[Question],
    subject: Callable[[], str],
    template: str,
    context: dict | None = None,
    overdue: Sequence[Question] = (),
) -> list[Question]:
    """E-mail the recipient the questions they were not sent before, and remember them.

    `overdue` (a doctor's digest only): questions past the answer-time target, listed
    apart and remembered as reminders (kind REMINDER) as well as digest entries, so
    neither list names them again; the template gets them as `overdue`.

    Returns the questions sent, overdue ones included (none when all were sent before,
    or when the recipient turned this e-mail off). The recipient's row is locked so two
    overlapping runs cannot send the same question twice; the e-mail is queued in the
    outbox in this transaction, so remembering the questions and sending them commit
    together.
    """
    list(User.objects.select_for_update().filter(pk=recipient.pk).values_list("pk", flat=True))
    reminder = DigestDelivery.Kind.REMINDER
    sent = set(
        DigestDelivery.objects.filter(
            recipient=recipient,
            kind__in=[kind, reminder],
            question__in=[q.pk for q in [*questions, *overdue]],
        ).values_list("question_id", "kind")
    )
    late = [q for q in overdue if (q.pk, reminder) not in sent]
    late_ids = {q.pk for q in late}
    new = [q for q in questions if (q.pk, kind) not in sent and q.pk not in late_ids]
    topic = DIGEST_TOPICS[kind]
    if not (new or late) or not recipient.email or not wants_email(recipient, topic):
        return []
    deliveries = [DigestDelivery(recipient=recipient, question=q, kind=kind) for q in new]
    deliveries += [DigestDelivery(recipient=recipient, question=q, kind=reminder) for q in late]
    if kind != reminder:
        deliveries += [
            DigestDelivery(recipient=recipient, question=q, kind=kind)
            for q in late
            if (q.pk, kind) not in sent
        ]
    DigestDelivery.objects.bulk_create(deliveries)
    send_template_email(
        recipient=recipient,
        template=template,
        subject=subject,
        context={**(context or {}), "questions": new, "overdue": late},
        topic=topic,
    )
    return [*late, *new]


@transaction.atomic
def deliver_review_reminder(*, recipient, articles: Sequence[Article]) -> list[Article]:
    """E-mail the recipient the overdue articles not named to them before for their
    current next review date, and remember them (as deliver_digest does for questions).

    Returns the articles sent (none when all were sent before, or when the recipient
    turned review reminders off)."""
    list(User.objects.select_for_update().filter(pk=recipient.pk).values_list("pk", flat=True))
    already = set(
        ReviewReminder.objects.filter(
            recipient=recipient, article__in=[a.pk for a in articles]
        ).values_list("article_id", "due_on")
    )
    new = [a for a in articles if (a.pk, a.next_review_on) not in already]
    if not new or not recipient.email or not wants_email(recipient, REVIEW_REMINDERS):
        return []
    ReviewReminder.objects.bulk_create(
        [ReviewReminder(recipient=recipient, article=a, due_on=a.next_review_on) for a in new]
    )
    send_template_email(
        recipient=recipient,
        template="emails/review_reminder.txt",
        subject=lambda: gettext("Articles past their review date"),
        context={"articles": new},
        topic=REVIEW_REMINDERS,
    )
    return new
