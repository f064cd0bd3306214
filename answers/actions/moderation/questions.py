"""Moderators' decisions on questions that need this app's models or checks.

Approving and rejecting a question are questions/actions.py's (approve_question,
reject_question); this module adds editing a pending question before approving it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed
from questions.actions import approve_question, edit_question
from questions.models import Question


@transaction.atomic
def redact_and_approve_question(
    *, question: Question, moderator, title: str, body: str, reason: str = ""
) -> Question:
    """Edit a pending question (e.g. remove personal data), then publish it; logs both steps."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status == Question.Status.PUBLISHED:
        return locked  # submitted twice: the first submission edited and approved it
    if locked.status != Question.Status.PENDING:
        raise ActionNotAllowed(_("Only pending questions can be edited and approved."))
    edited = edit_question(
        question=locked, moderator=moderator, title=title, body=body, reason=reason
    )
    return approve_question(question=edited, moderator=moderator)
