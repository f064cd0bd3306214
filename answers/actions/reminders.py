"""Answer-time targets: a published question still unanswered ANSWER_REMINDER_HOURS after
publication is sent to the doctors of its specialty, and after ANSWER_ESCALATION_HOURS
to the moderators; each question once per threshold (AnswerReminder), each recipient
once per question (DigestDelivery). Doctors who take the digest get the reminders in it
(send_digests), the others at once (their "questions waiting too long" setting);
moderators by their moderation-alert setting. `manage.py send_answer_reminders` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from answers.actions.digests import deliver_digest
from answers.models import AnswerReminder, DigestDelivery, QuestionClaim
from forum import roles
from forum.models import DoctorProfile, User
from questions.models import Question, QuestionQuerySet

MAX_QUESTIONS_PER_EMAIL = 30


@dataclass
class Sent:
    marked: int = 0  # questions that crossed the threshold in this run
    emails: int = 0
    questions: int = 0  # question mentions over all e-mails


def waiting_questions() -> QuestionQuerySet:
    """Published questions with no published reply, not closed as duplicates."""
    return Question.objects.published().unanswered().not_duplicate()


def reminded_questions(kind: str) -> QuestionQuerySet:
    """Questions still waiting that crossed the `kind` threshold, oldest first."""
    return (
        waiting_questions()
        .filter(Exists(AnswerReminder.objects.filter(question=OuterRef("pk"), kind=kind)))
        .select_related("specialty")
        .order_by("-is_urgent", "published_at", "id")
    )


def overdue_questions(*, kind: str, now: datetime) -> QuestionQuerySet:
    """Waiting questions that crossed the `kind` threshold and were not recorded for it
    yet. A question a doctor holds a claim on (answering it, or waiting for the
    patient's information) is left for a later run."""
    hours = (
        settings.ANSWER_REMINDER_HOURS
        if kind == AnswerReminder.Kind.DOCTORS
        else settings.ANSWER_ESCALATION_HOURS
    )
    due = waiting_questions().filter(published_at__lte=now - timedelta(hours=hours))
    due = due.exclude(Exists(AnswerReminder.objects.filter(question=OuterRef("pk"), kind=kind)))
    if kind == AnswerReminder.Kind.DOCTORS:
        due = due.exclude(
            Exists(QuestionClaim.objects.filter(question=OuterRef("pk"), expires_at__gt=now))
        )
    return due


@transaction.atomic
def mark_overdue_questions(*, kind: str, now: datetime) -> int:
    """Record the overdue_questions of `kind` as reminded (once: a unique constraint)."""
    ids = list(overdue_questions(kind=kind, now=now).values_list("pk", flat=True))
    AnswerReminder.objects.bulk_create(
        [AnswerReminder(question_id=pk, kind=kind) for pk in ids], ignore_conflicts=True
    )
    return len(ids)


def remind_doctors(*, now: datetime, dry_run: bool = False) -> Sent:
    """Mark the questions past ANSWER_REMINDER_HOURS and e-mail them at once to each
    verified doctor of their specialty who does not take the digest (the digest carries
    them for the others)."""
    sent = Sent()
    kind = AnswerReminder.Kind.DOCTORS
    if dry_run:
        sent.marked = overdue_questions(kind=kind, now=now).count()
    else:
        sent.marked = mark_overdue_questions(kind=kind, now=now)
    reminded = list(reminded_questions(AnswerReminder.Kind.DOCTORS))
    if not reminded:
        return sent
    doctors = (
        DoctorProfile.objects.verified()
        .filter(wants_digest=False, specialties__in={q.specialty_id for q in reminded})
        .distinct()
        .select_related("user")
        .prefetch_related("specialties")
    )
    for doctor in doctors:
        specialty_ids = {s.pk for s in doctor.specialties.all()}
        delivered = _delivered(doctor.user, DigestDelivery.Kind.REMINDER)
        questions = [
            q for q in reminded if q.specialty_id in specialty_ids and q.pk not in delivered
        ][:MAX_QUESTIONS_PER_EMAIL]
        if questions and not dry_run:
            questions = deliver_digest(
                recipient=doctor.user,
                kind=DigestDelivery.Kind.REMINDER,
                questions=questions,
                subject=lambda: gettext("Questions waiting too long for an answer"),
                template="emails/answer_reminder.txt",
                context={"doctor": doctor, "hours": settings.ANSWER_REMINDER_HOURS},
            )
        if questions:
            sent.emails += 1
            sent.questions += len(questions)
    return sent


def overdue_for_digest(doctor: DoctorProfile) -> list[Question]:
    """The reminded questions in the doctor's specialties not yet sent to them as a
    reminder: the digest's "still waiting" list."""
    specialty_ids = [s.pk for s in doctor.specialties.all()]
    return list(
        reminded_questions(AnswerReminder.Kind.DOCTORS)
        .filter(specialty_id__in=specialty_ids)
        .exclude(
            pk__in=DigestDelivery.objects.filter(
                recipient=doctor.user, kind=DigestDelivery.Kind.REMINDER
            ).values("question_id")
        )[:MAX_QUESTIONS_PER_EMAIL]
    )


def escalate_to_moderators(*, now: datetime, dry_run: bool = False) -> Sent:
    """Mark the questions past ANSWER_ESCALATION_HOURS and e-mail them to every
    moderator (their moderation-alert setting), each question once per moderator."""
    sent = Sent()
    kind = AnswerReminder.Kind.MODERATORS
    if dry_run:
        sent.marked = overdue_questions(kind=kind, now=now).count()
    else:
        sent.marked = mark_overdue_questions(kind=kind, now=now)
    escalated = list(reminded_questions(AnswerReminder.Kind.MODERATORS)[:MAX_QUESTIONS_PER_EMAIL])
    if not escalated:
        return sent
    moderators = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=roles.MODERATORS) | Q(is_superuser=True))
        .distinct()
    )
    for moderator in moderators:
        delivered = _delivered(moderator, DigestDelivery.Kind.ESCALATION)
        questions = [q for q in escalated if q.pk not in delivered]
        if questions and not dry_run:
            questions = deliver_digest(
                recipient=moderator,
                kind=DigestDelivery.Kind.ESCALATION,
                questions=questions,
                subject=lambda: gettext("Questions still unanswered"),
                template="emails/answer_escalation.txt",
                context={"hours": settings.ANSWER_ESCALATION_HOURS},
            )
        if questions:
            sent.emails += 1
            sent.questions += len(questions)
    return sent


def _delivered(recipient, kind: str) -> set[int]:
    return set(
        DigestDelivery.objects.filter(recipient=recipient, kind=kind).values_list(
            "question_id", flat=True
        )
    )
