"""Closing a question as a duplicate of an answered one, and reopening it.

A duplicate keeps its status (a pending one stays unpublished, a published one stays
readable) but its page links the original (and asks search engines not to index it), and
it is left out of search, Similar Q&A, the moderation queue and the doctors' dashboard;
the asker is e-mailed the original's link.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed
from forum.actions import log_moderation_event
from forum.models import ModerationEvent, User
from questions import changes
from questions.models import Question
from questions.notifications import notify_question_closed_as_duplicate

CLOSABLE = (Question.Status.PENDING, Question.Status.PUBLISHED)


def check_duplicate_original(*, question: Question, original: Question) -> None:
    """Raise ActionNotAllowed unless `original` may be what `question` duplicates."""
    if original.pk == question.pk:
        raise ActionNotAllowed(_("A question cannot be a duplicate of itself."))
    if original.status != Question.Status.PUBLISHED or not original.is_answered:
        raise ActionNotAllowed(_("The original must be a published, answered question."))
    if original.is_duplicate:
        raise ActionNotAllowed(
            _("That question is itself closed as a duplicate; choose the question it points to.")
        )


@transaction.atomic
def close_as_duplicate(*, question: Question, original: Question, moderator: User) -> Question:
    """Close a pending or published question as a duplicate of a published, answered one;
    logs it, e-mails the asker the original's link and refreshes derived data."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    original = Question.objects.select_for_update().get(pk=original.pk)
    if locked.duplicate_of_id == original.pk:
        return locked  # submitted twice
    if locked.is_duplicate:
        raise ActionNotAllowed(_("This question is already closed as a duplicate."))
    if locked.status not in CLOSABLE:
        raise ActionNotAllowed(_("Only pending or published questions can be closed."))
    check_duplicate_original(question=locked, original=original)
    if locked.duplicates.exists():
        raise ActionNotAllowed(
            _("Other questions are closed as duplicates of this one; reopen them first.")
        )
    locked.duplicate_of = original
    locked.closed_at = timezone.now()
    locked.save(update_fields=["duplicate_of", "closed_at", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.CLOSE_DUPLICATE,
        target=locked,
        reason=_("Duplicate of question %(id)s: %(title)s")
        % {"id": original.pk, "title": original.title},
    )
    notify_question_closed_as_duplicate(question=locked, original=original)
    changes.question_changed(
        locked.pk, what=changes.DUPLICATE, listed=locked.is_published and locked.is_answered
    )
    return locked


@transaction.atomic
def reopen_duplicate(*, question: Question, moderator: User) -> Question:
    """Undo closing a question as a duplicate; reopening twice changes nothing."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if not locked.is_duplicate:
        return locked
    original_id = locked.duplicate_of_id
    locked.duplicate_of = None
    locked.closed_at = None
    locked.save(update_fields=["duplicate_of", "closed_at", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.REOPEN_DUPLICATE,
        target=locked,
        reason=_("Was closed as a duplicate of question %(id)s") % {"id": original_id},
    )
    changes.question_changed(
        locked.pk, what=changes.DUPLICATE, listed=locked.is_published and locked.is_answered
    )
    return locked
