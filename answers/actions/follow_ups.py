"""The asker's follow-ups under a doctor's reply, the moderators' decisions on them, and
the doctor's answer.

A follow-up is screened like a question (personal data blocks it; red flags mark it
urgent) and moderated like one: pending until a moderator approves or rejects it with
a reason. A trusted asker's follow-up without red flags is published at once (see
is_trusted_asker). Once published, every verified doctor who replied to the question
is e-mailed (the doctor of the reply it is under first) and finds it first on their
dashboard until one doctor's answer is published; an answer is a Reply with `follow_up` set,
which goes through the same moderation as every reply (answers/actions/replying.py and
moderation/replies.py). Every change of state writes the audit log and refreshes the
question's page through questions/changes.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from answers.actions.errors import ActionNotAllowed, required_reason
from answers.actions.replying import lock_question, publish_reply, replies_need_approval
from answers.models import Reply
from answers.notifications import notify_follow_up_published
from answers.permissions import can_answer_follow_up, can_follow_up
from forum.actions import log_moderation_event
from forum.models import DoctorProfile, ModerationEvent, User
from questions import changes
from questions.actions import PersonalDataFound
from questions.models import FollowUp, Question
from questions.notifications import notify_follow_up_rejected
from questions.screening import screen


class FollowUpLimitReached(ActionNotAllowed):
    """The question has FOLLOW_UPS_PER_QUESTION follow-ups already (rejected ones aside)."""


def follow_ups_left(question: Question) -> int:
    """How many more follow-ups the asker may add to the question."""
    used = FollowUp.objects.filter(question=question).counted_towards_limit().count()
    return max(0, settings.FOLLOW_UPS_PER_QUESTION - used)


def approved_posts(user: User) -> int:
    """The person's approved posts: their questions and follow-ups published now (a post
    a moderator rejected, removed or hid since does not count)."""
    return (
        Question.objects.by_author(user).published().count()
        + FollowUp.objects.filter(author=user).published().count()
    )


def is_trusted_asker(user: User) -> bool:
    """An asker with TRUSTED_ASKER_APPROVED_POSTS approved posts (0: nobody is)."""
    needed = settings.TRUSTED_ASKER_APPROVED_POSTS
    return needed > 0 and approved_posts(user) >= needed


def limit_message() -> str:
    limit = settings.FOLLOW_UPS_PER_QUESTION
    return ngettext(
        "This question has its %(limit)d follow-up already.",
        "This question has its %(limit)d follow-ups already.",
        limit,
    ) % {"limit": limit}


@transaction.atomic
def submit_follow_up(*, author: User, reply: Reply, body: str) -> FollowUp:
    """The asker's follow-up under a published reply to their answered question: pending
    for a moderator, or published at once for a trusted asker when it has no red flags.

    ActionNotAllowed when the reply or question no longer takes follow-ups,
    FollowUpLimitReached past the limit, PersonalDataFound when screening blocks it
    (the form reports that first)."""
    question = lock_question(reply.question_id)  # follow-ups of a question counted in turn
    reply = Reply.objects.select_related("doctor__user").get(pk=reply.pk)
    reply.question = question
    if not can_follow_up(author, reply):
        raise ActionNotAllowed(_("You can no longer add a follow-up to this reply."))
    if follow_ups_left(question) <= 0:
        raise FollowUpLimitReached(limit_message())
    body = body.strip()
    result = screen(body)
    if result.blocks_submission:
        raise PersonalDataFound(result)
    follow_up = FollowUp.objects.create(
        question=question,
        reply=reply,
        author=author,
        body=body,
        status=FollowUp.Status.PENDING,
        is_urgent=result.is_urgent,
        screening=result.as_dict(),
    )
    if not follow_up.is_urgent and is_trusted_asker(author):
        _publish(follow_up)
        # No actor: the log names no patient.
        log_moderation_event(
            actor=None, action=ModerationEvent.Action.PUBLISH_TRUSTED_FOLLOW_UP, target=follow_up
        )
    return follow_up


def _publish(follow_up: FollowUp) -> None:
    follow_up.status = FollowUp.Status.PUBLISHED
    follow_up.published_at = timezone.now()
    follow_up.rejection_reason = ""
    follow_up.save(update_fields=["status", "published_at", "rejection_reason", "updated_at"])
    notify_follow_up_published(follow_up=follow_up)
    changes.follow_up_changed(follow_up.question_id)


def _locked(follow_up: FollowUp) -> FollowUp:
    question = lock_question(follow_up.question_id)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    locked = FollowUp.objects.select_related("reply__doctor__user").get(pk=locked.pk)
    locked.question = question
    return locked


@transaction.atomic
def approve_follow_up(*, follow_up: FollowUp, moderator: User, reason: str = "") -> FollowUp:
    """Publish a pending follow-up and tell the doctors who replied to the question;
    approving twice changes nothing."""
    locked = _locked(follow_up)
    if locked.status == FollowUp.Status.PUBLISHED:
        return locked
    if locked.status != FollowUp.Status.PENDING:
        raise ActionNotAllowed(_("Only pending follow-ups can be approved."))
    if not locked.question.is_published or not locked.reply.is_published:
        raise ActionNotAllowed(_("The question or the reply is no longer published."))
    _publish(locked)
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.APPROVE_FOLLOW_UP,
        target=locked,
        reason=reason,
    )
    return locked


@transaction.atomic
def reject_follow_up(*, follow_up: FollowUp, moderator: User, reason: str) -> FollowUp:
    """Reject a pending or published follow-up with a reason the asker is told (it no
    longer counts towards the limit); rejecting twice changes nothing."""
    reason = required_reason(reason)
    locked = _locked(follow_up)
    if locked.status == FollowUp.Status.REJECTED:
        return locked
    was_public = locked.is_published
    locked.status = FollowUp.Status.REJECTED
    locked.rejection_reason = reason
    locked.save(update_fields=["status", "rejection_reason", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.REJECT_FOLLOW_UP,
        target=locked,
        reason=reason,
    )
    notify_follow_up_rejected(follow_up=locked)
    if was_public:
        changes.follow_up_changed(locked.question_id)
    return locked


@transaction.atomic
def answer_follow_up(*, follow_up: FollowUp, doctor: DoctorProfile, body: str) -> Reply:
    """A doctor who replied to the question answers a published follow-up (the doctor
    of the reply it is under, or a colleague who also replied): a Reply with `follow_up` set,
    held for a moderator while the doctor is new (as every reply), else published. One
    answer per doctor and follow-up: submitting again returns it."""
    question = lock_question(follow_up.question_id)
    follow_up = FollowUp.objects.select_related("reply").get(pk=follow_up.pk)
    follow_up.question = question
    if not can_answer_follow_up(doctor, follow_up):
        raise ActionNotAllowed(_("This follow-up is not open for your answer."))
    existing = Reply.objects.filter(follow_up=follow_up, doctor=doctor).first()
    if existing is not None:
        return existing
    answer = Reply.objects.create(
        question=question,
        doctor=doctor,
        follow_up=follow_up,
        body=body.strip(),
        status=Reply.Status.HELD,
    )
    if not replies_need_approval(doctor):
        publish_reply(answer, question=question)
    return answer


# --- Reports (answers/actions/reports.py: KINDS) --------------------------------------
# A follow-up that readers' reports or a moderator's decision take off the page is
# "removed" (kept for the audit trail and the report queue), and shown again when the
# reports are dismissed or the text redacted. Its answers go with it from the page.


def hide_follow_up(*, follow_up: FollowUp, actor: User | None, reason: str, action: str) -> None:
    """Take a published follow-up off its page (status removed); log `action` either
    way, so every decision has its entry."""
    locked = _locked(follow_up)
    if locked.status == FollowUp.Status.PUBLISHED:
        locked.status = FollowUp.Status.REMOVED
        locked.save(update_fields=["status", "updated_at"])
        changes.follow_up_changed(locked.question_id)
    log_moderation_event(actor=actor, action=action, target=locked, reason=reason)


def restore_follow_up(*, follow_up: FollowUp, actor: User, reason: str) -> None:
    """Show again a follow-up that reports hid (it was published before)."""
    locked = _locked(follow_up)
    if locked.status != FollowUp.Status.REMOVED or locked.published_at is None:
        return
    locked.status = FollowUp.Status.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    log_moderation_event(
        actor=actor, action=ModerationEvent.Action.RESTORE_FOLLOW_UP, target=locked, reason=reason
    )
    changes.follow_up_changed(locked.question_id)


def redact_follow_up(*, follow_up: FollowUp, moderator: User, body: str, reason: str) -> None:
    """A moderator edits a follow-up's text, typically to take out personal data: the
    earlier text is not kept (a redaction that kept it would keep what it removes)."""
    locked = _locked(follow_up)
    body = body.strip()
    if body == locked.body:
        return
    locked.body = body
    locked.language = ""  # detected again from the new text on save
    locked.save(update_fields=["body", "language", "updated_at"])
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.EDIT_FOLLOW_UP, target=locked, reason=reason
    )
    if locked.is_published:
        changes.follow_up_changed(locked.question_id)
