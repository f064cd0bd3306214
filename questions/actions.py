"""Writes that change a question's state: moderation decisions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from forum.actions import log_moderation_event
from forum.models import ModerationEvent
from questions.cache import invalidate_all_pages, invalidate_question_page
from questions.models import Question
from questions.notifications import notify_question_published, notify_question_rejected


@transaction.atomic
def approve_question(*, question: Question, moderator, reason: str = "") -> Question:
    """Publish a pending question; approving an already published one changes nothing."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status == Question.Status.PUBLISHED:
        return locked
    locked.status = Question.Status.PUBLISHED
    locked.published_at = locked.published_at or timezone.now()
    locked.rejection_reason = ""
    locked.save(update_fields=["status", "published_at", "rejection_reason", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.APPROVE_QUESTION,
        target=locked,
        reason=reason,
    )
    notify_question_published(question=locked)
    invalidate_question_page(locked.pk)
    return locked


@transaction.atomic
def reject_question(*, question: Question, moderator, reason: str) -> Question:
    """Reject a question with a reason the author is told; rejecting twice changes nothing."""
    if not reason.strip():
        raise ValueError("A rejection needs a reason.")
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status == Question.Status.REJECTED:
        return locked
    was_public = locked.status == Question.Status.PUBLISHED
    locked.status = Question.Status.REJECTED
    locked.rejection_reason = reason.strip()
    locked.save(update_fields=["status", "rejection_reason", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.REJECT_QUESTION,
        target=locked,
        reason=locked.rejection_reason,
    )
    notify_question_rejected(question=locked)
    invalidate_question_page(locked.pk)
    if was_public:
        invalidate_all_pages()
    return locked


@transaction.atomic
def remove_question(*, question: Question, moderator, reason: str) -> Question:
    """Take a published question off the site (kept for the audit trail)."""
    if not reason.strip():
        raise ValueError("Removing a question needs a reason.")
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status == Question.Status.REMOVED:
        return locked
    locked.status = Question.Status.REMOVED
    locked.save(update_fields=["status", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.REMOVE_QUESTION,
        target=locked,
        reason=reason.strip(),
    )
    invalidate_question_page(locked.pk)
    invalidate_all_pages()
    return locked


@transaction.atomic
def set_question_tags(*, question: Question, tags: list[str], editor) -> Question:
    """Replace a question's tags (logged); its page and other pages' Similar Q&A follow."""
    names = sorted({name.strip() for name in tags if name.strip()}, key=str.lower)
    before = sorted(question.tags.names(), key=str.lower)
    if names == before:
        return question
    question.tags.set(names)
    log_moderation_event(
        actor=editor,
        action=ModerationEvent.Action.EDIT_QUESTION,
        target=question,
        reason=f"Tags: {', '.join(before) or '(none)'} -> {', '.join(names) or '(none)'}",
    )
    # After commit, so no request can cache the old tags under the new keys. The
    # question may enter or leave any other page's Similar Q&A, hence all pages.
    transaction.on_commit(lambda: invalidate_question_page(question.pk))
    transaction.on_commit(invalidate_all_pages)
    return question
