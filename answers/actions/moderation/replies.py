"""Moderators' decisions on doctors' replies: approve a held one, send a held one back,
hide a published one, restore a hidden one. Each is idempotent and logs one event."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed, required_reason
from answers.actions.replying import (
    lock_question,
    publish_reply,
    refresh_reply_pages,
    sync_answered_at,
)
from answers.models import Reply
from answers.notifications import notify_reply_moderated
from forum.actions import log_moderation_event
from forum.models import ModerationEvent


@transaction.atomic
def approve_reply(*, reply: Reply, moderator, reason: str = "") -> Reply:
    """Publish a held reply. Approving twice changes nothing."""
    question = lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    if locked.status == Reply.Status.PUBLISHED:
        return locked
    if locked.status != Reply.Status.HELD:
        raise ActionNotAllowed(_("Only held replies can be approved; use restore for hidden ones."))
    if not question.is_published:
        raise ActionNotAllowed(_("The question is no longer published."))
    publish_reply(locked, question=question)
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.APPROVE_REPLY, target=locked, reason=reason
    )
    return locked


@transaction.atomic
def return_reply(*, reply: Reply, moderator, reason: str) -> Reply:
    """Send a held reply back to its doctor with a reason; they can edit and resubmit it."""
    reason = required_reason(reason)
    lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().select_related("doctor__user").get(pk=reply.pk)
    if locked.is_returned:
        return locked
    if locked.status != Reply.Status.HELD:
        raise ActionNotAllowed(_("Only held replies can be sent back; hide published ones."))
    locked.status = Reply.Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "moderation_reason", "updated_at"])
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.RETURN_REPLY, target=locked, reason=reason
    )
    notify_reply_moderated(reply=locked)
    return locked


@transaction.atomic
def hide_reply(*, reply: Reply, moderator, reason: str) -> Reply:
    """Take a published reply off the Q&A page. Hiding twice changes nothing."""
    reason = required_reason(reason)
    question = lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().select_related("doctor__user").get(pk=reply.pk)
    if locked.status == Reply.Status.HIDDEN and locked.published_at is not None:
        return locked
    if locked.status != Reply.Status.PUBLISHED:
        raise ActionNotAllowed(_("Only published replies can be hidden."))
    locked.status = Reply.Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "moderation_reason", "updated_at"])
    sync_answered_at(question)
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.HIDE_REPLY, target=locked, reason=reason
    )
    notify_reply_moderated(reply=locked)
    refresh_reply_pages(locked, first_reply_changed=True)
    return locked


@transaction.atomic
def restore_reply(*, reply: Reply, moderator, reason: str) -> Reply:
    """Show a hidden reply again (no second e-mail to the patient). Idempotent."""
    reason = required_reason(reason)
    question = lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    if locked.status == Reply.Status.PUBLISHED:
        return locked
    if locked.status != Reply.Status.HIDDEN or locked.published_at is None:
        raise ActionNotAllowed(_("Only hidden replies that were published can be restored."))
    if not question.is_published:
        raise ActionNotAllowed(_("The question is no longer published."))
    locked.status = Reply.Status.PUBLISHED
    locked.moderation_reason = ""
    locked.save(update_fields=["status", "moderation_reason", "updated_at"])
    sync_answered_at(question)
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.RESTORE_REPLY, target=locked, reason=reason
    )
    refresh_reply_pages(locked, first_reply_changed=True)
    return locked
