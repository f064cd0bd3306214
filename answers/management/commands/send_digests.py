from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from answers.actions import deliver_digest, deliver_review_reminder
from answers.actions.reminders import overdue_for_digest
from answers.models import Article, DigestDelivery, ReviewReminder
from forum import roles
from forum.mail import REVIEW_REMINDERS, wants_email
from forum.models import DoctorProfile, User
from questions.models import Question

MAX_QUESTIONS_PER_EMAIL = 30


class Command(BaseCommand):
    help = (
        "E-mail doctors who asked for it the new unanswered questions in their specialties, "
        "moderators the questions waiting longer than MODERATION_ALERT_HOURS, and editors "
        "and medical reviewers the published articles past their next review date. "
        "Meant for cron; nobody gets the same question twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent.")
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Only questions published in the last DAYS days count as new (default 7).",
        )

    def handle(self, *args, dry_run=False, days=7, **options):
        now = timezone.now()
        doctor_emails, doctor_questions = self._doctor_digests(now - timedelta(days=days), dry_run)
        alert_emails, alert_questions = self._moderation_alerts(now, dry_run)
        review_emails, review_articles = self._review_reminders(dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {doctor_emails} doctor digest(s) ({doctor_questions} question(s)), "
                f"{alert_emails} moderation alert(s) ({alert_questions} question(s)) and "
                f"{review_emails} review reminder(s) ({review_articles} article(s))."
            )
        )

    def _doctor_digests(self, since, dry_run: bool) -> tuple[int, int]:
        emails = total = 0
        doctors = (
            DoctorProfile.objects.verified()
            .filter(wants_digest=True)
            .select_related("user")
            .prefetch_related("specialties")
        )
        for doctor in doctors:
            questions = list(
                Question.objects.awaiting_reply([s.pk for s in doctor.specialties.all()])
                .filter(published_at__gte=since)
                .exclude(pk__in=_delivered(doctor.user, DigestDelivery.Kind.DOCTOR))[
                    :MAX_QUESTIONS_PER_EMAIL
                ]
            )
            # Questions past the answer-time target (send_answer_reminders marks them):
            # a digest doctor's reminders come here, listed first.
            overdue = overdue_for_digest(doctor)
            if not questions and not overdue:
                continue
            if dry_run:
                overdue_ids = {q.pk for q in overdue}
                questions = overdue + [q for q in questions if q.pk not in overdue_ids]
            else:
                questions = deliver_digest(
                    recipient=doctor.user,
                    kind=DigestDelivery.Kind.DOCTOR,
                    questions=questions,
                    overdue=overdue,
                    subject=lambda: gettext("New questions in your specialties"),
                    template="emails/doctor_digest.txt",
                    context={"doctor": doctor},
                )
            if questions:
                emails += 1
                total += len(questions)
                self.stdout.write(f"{doctor}: {len(questions)} new question(s)")
        return emails, total

    def _moderation_alerts(self, now, dry_run: bool) -> tuple[int, int]:
        hours = settings.MODERATION_ALERT_HOURS
        waiting = list(
            Question.objects.moderation_queue().filter(created_at__lte=now - timedelta(hours=hours))
        )
        if not waiting:
            return 0, 0
        moderators = (
            User.objects.filter(is_active=True)
            .filter(Q(groups__name=roles.MODERATORS) | Q(is_superuser=True))
            .distinct()
        )
        emails = total = 0
        for moderator in moderators:
            delivered = set(
                _delivered(moderator, DigestDelivery.Kind.MODERATOR).filter(
                    question__in=[q.pk for q in waiting]
                )
            )
            questions = [q for q in waiting if q.pk not in delivered]
            if not questions:
                continue
            if not dry_run:
                questions = deliver_digest(
                    recipient=moderator,
                    kind=DigestDelivery.Kind.MODERATOR,
                    questions=questions,
                    subject=lambda: gettext("Questions waiting for moderation"),
                    template="emails/moderation_alert.txt",
                    context={"hours": hours},
                )
            if questions:
                emails += 1
                total += len(questions)
                self.stdout.write(
                    f"moderator #{moderator.pk}: {len(questions)} waiting question(s)"
                )
        return emails, total

    def _review_reminders(self, dry_run: bool) -> tuple[int, int]:
        """Editors get every overdue article; a medical reviewer, the ones they reviewed."""
        overdue = list(
            Article.objects.review_overdue(today=timezone.localdate()).select_related(
                "reviewer__user"
            )
        )
        if not overdue:
            return 0, 0
        recipients: dict[int, tuple[User, list[Article]]] = {}
        editors = (
            User.objects.filter(is_active=True)
            .filter(Q(groups__name=roles.EDITORS) | Q(is_superuser=True))
            .distinct()
        )
        for editor in editors:
            recipients[editor.pk] = (editor, list(overdue))
        for article in overdue:
            reviewer = article.reviewer.user if article.reviewer else None
            if reviewer is None or not reviewer.is_active or reviewer.pk in recipients:
                continue  # an editor who reviews already has them all
            recipients.setdefault(reviewer.pk, (reviewer, []))[1].append(article)
        emails = total = 0
        for recipient, articles in recipients.values():
            if dry_run:
                if not recipient.email or not wants_email(recipient, REVIEW_REMINDERS):
                    continue
                sent_before = ReviewReminder.objects.filter(
                    recipient=recipient, article__in=[a.pk for a in articles]
                ).values_list("article_id", "due_on")
                articles = [a for a in articles if (a.pk, a.next_review_on) not in set(sent_before)]
            else:
                articles = deliver_review_reminder(recipient=recipient, articles=articles)
            if articles:
                emails += 1
                total += len(articles)
                self.stdout.write(
                    f"user #{recipient.pk}: {len(articles)} article(s) due for review"
                )
        return emails, total


def _delivered(recipient, kind: str):
    return DigestDelivery.objects.filter(recipient=recipient, kind=kind).values_list(
        "question_id", flat=True
    )
