"""The daily question limit (settings.QUESTIONS_PER_DAY over a rolling 24 hours)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from questions.models import Question

WINDOW = timedelta(days=1)


def next_question_allowed_at(author, *, now: datetime | None = None) -> datetime | None:
    """None if the author may ask now; otherwise when they may ask again.

    A limit of 0 or less turns the limit off.
    """
    limit = settings.QUESTIONS_PER_DAY
    if limit <= 0:
        return None
    now = now or timezone.now()
    recent = list(
        Question.objects.by_author(author)
        .created_since(now - WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + WINDOW
