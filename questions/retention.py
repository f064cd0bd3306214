"""Retention of questions: rejected and removed questions are deleted once their period
(RETENTION_CLOSED_QUESTION_DAYS, counted from the last change, i.e. the rejection or
removal) has passed, with their tags, replies and claims; the audit log keeps only who
did what and when (forum.retention.scrub_audit_log). See forum/retention.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from forum.retention import Purged, scrub_audit_log
from questions import changes
from questions.models import Question


def closed_questions(now: datetime):
    cutoff = now - timedelta(days=settings.RETENTION_CLOSED_QUESTION_DAYS)
    return Question.objects.filter(
        status__in=[Question.Status.REJECTED, Question.Status.REMOVED], updated_at__lt=cutoff
    )


def purge_closed_questions(*, now: datetime, dry_run: bool) -> Purged:
    days = settings.RETENTION_CLOSED_QUESTION_DAYS
    kind = "rejected or removed questions"
    if dry_run:
        return Purged(kind, closed_questions(now).count(), days)
    with transaction.atomic():
        rows = list(closed_questions(now).select_for_update().values_list("pk", "status"))
        ids = [pk for pk, _status in rows]
        Question.objects.filter(pk__in=ids).delete()
        scrub_audit_log(Question, ids)
        # A removed question was public once: its page, and any Similar Q&A list that
        # still names it, are refreshed (rejected ones never showed anywhere).
        changes.questions_removed(pk for pk, status in rows if status == Question.Status.REMOVED)
    return Purged(kind, len(ids), days)
