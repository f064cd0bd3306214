"""A doctor's reply: sending it, editing it, and the steps every change of a reply's
state shares (locking the question, publishing, keeping answered_at right, refreshing
the pages). Moderators' decisions on replies are in answers/actions/moderation/replies.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed
from answers.actions.information import close_requests_on_reply
from answers.models import QuestionClaim, Reply, ReplyVersion
from answers.permissions import can_edit_reply, can_reply_to
from forum.actions import log_moderation_event
from forum.models import DoctorProfile, ModerationEvent
from questions import changes
from questions.models import Question
from questions.notifications import notify_follow_up_answered, notify_question_answered


def replies_need_approval(doctor: DoctorProfile) -> bool:
    """New doctors' replies wait for approval until HELD_REPLIES_FOR_NEW_DOCTORS are approved."""
    limit = settings.HELD_REPLIES_FOR_NEW_DOCTORS
    return limit > 0 and doctor.replies.ever_published().count() < limit


@transaction.atomic
def submit_reply(*, question: Question, doctor: DoctorProfile, body: str) -> Reply:
    """Save a doctor's reply: held for a moderator while the doctor is new, else published.

    A doctor has one reply per question; submitting again (a double click) returns it.
    """
    locked = lock_question(question.pk)
    if not can_reply_to(doctor, locked):
        raise ActionNotAllowed(_("This question is not open for your replies."))
    existing = Reply.objects.to_questions().filter(question=locked, doctor=doctor).first()
    if existing is not None:
        return existing
    reply = Reply.objects.create(
        question=locked, doctor=doctor, body=body.strip(), status=Reply.Status.HELD
    )
    if not replies_need_approval(doctor):
        publish_reply(reply, question=locked)
    QuestionClaim.objects.filter(question=locked, doctor=doctor).delete()
    close_requests_on_reply(question_id=locked.pk, doctor=doctor)
    return reply


@transaction.atomic
def edit_reply(*, reply: Reply, doctor: DoctorProfile, body: str) -> Reply:
    """Change the text of the doctor's own reply, keeping the earlier text as a version.

    A reply sent back by a moderator goes back to the moderation queue when edited.
    """
    locked = Reply.objects.select_for_update().select_related("question").get(pk=reply.pk)
    if not can_edit_reply(doctor, locked):
        raise PermissionDenied(_("Doctors can only edit their own replies."))
    if not locked.question.is_published:
        raise ActionNotAllowed(_("The question is no longer published."))
    body = body.strip()
    if body == locked.body:
        return locked
    ReplyVersion.objects.create(reply=locked, body=locked.body)
    locked.body = body
    fields = ["body", "updated_at"]
    if locked.published_at is not None:
        locked.edited_at = timezone.now()
        fields.append("edited_at")
    if locked.is_returned:
        locked.status = Reply.Status.HELD
        locked.moderation_reason = ""
        fields += ["status", "moderation_reason"]
    locked.save(update_fields=fields)
    if locked.published_at is not None:
        refresh_reply_pages(locked, first_reply_changed=_is_first_published(locked))
    return locked


def lock_question(question_id: int) -> Question:
    """Every change to a question's replies locks the question row first, so answered_at
    is always computed from committed replies (two doctors publishing, a hide racing a
    publish) and locks are always taken in the same order."""
    return Question.objects.select_for_update().get(pk=question_id)


def publish_reply(reply: Reply, *, question: Question) -> None:
    """Make a held reply public; the first public reply marks the question answered.
    A doctor's answer to a follow-up changes no answered_at and tells the asker that
    their follow-up was answered."""
    now = timezone.now()
    reply.status = Reply.Status.PUBLISHED
    reply.published_at = now
    reply.moderation_reason = ""
    reply.save(update_fields=["status", "published_at", "moderation_reason", "updated_at"])
    if reply.answers_follow_up:
        notify_follow_up_answered(question=question, reply=reply)
        refresh_reply_pages(reply, first_reply_changed=False)
        return
    # Conditional update: of two replies published at once, only the first sets answered_at.
    first = (
        Question.objects.filter(pk=question.pk, answered_at__isnull=True).update(answered_at=now)
        == 1
    )
    if first:
        question.answered_at = now
    notify_question_answered(question=question)
    refresh_reply_pages(reply, first_reply_changed=first)


def sync_answered_at(question: Question) -> None:
    """answered_at follows the first reply still published (None when every one is hidden)."""
    first = (
        Reply.objects.published()
        .to_questions()
        .filter(question_id=question.pk)
        .aggregate(first=Min("published_at"))["first"]
    )
    if first != question.answered_at:
        Question.objects.filter(pk=question.pk).update(answered_at=first)
        question.answered_at = first


def refresh_reply_pages(reply: Reply, *, first_reply_changed: bool) -> None:
    """Refresh what shows the reply. first_reply_changed: answered (or not any more, or
    answered_at moved), and other pages' Similar Q&A show an excerpt of the first reply.
    An answer to a follow-up shows on the question's page only."""
    if reply.answers_follow_up:
        changes.follow_up_changed(reply.question_id)
        return
    changes.reply_changed(reply.question_id, first_reply_changed=first_reply_changed)


def _is_first_published(reply: Reply) -> bool:
    first = (
        Reply.objects.published()
        .to_questions()
        .filter(question_id=reply.question_id)
        .order_by("published_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return first == reply.pk


@transaction.atomic
def confirm_reply_accuracy(*, reply: Reply, doctor: DoctorProfile) -> Reply:
    """The doctor confirms their old published reply as still accurate today (logged);
    the Q&A page shows the date."""
    locked = Reply.objects.select_for_update().select_related("question").get(pk=reply.pk)
    if not can_edit_reply(doctor, locked):
        raise PermissionDenied(_("Doctors can only confirm their own replies."))
    now = timezone.now()
    if not locked.is_published or not locked.question.is_published:
        raise ActionNotAllowed(_("Only a published reply can be confirmed as still accurate."))
    if not locked.is_due_accuracy_check(now):
        raise ActionNotAllowed(_("This reply is too recent to confirm, or was confirmed recently."))
    locked.confirmed_accurate_on = timezone.localdate(now)
    locked.save(update_fields=["confirmed_accurate_on", "updated_at"])
    log_moderation_event(
        actor=doctor.user, action=ModerationEvent.Action.CONFIRM_REPLY_ACCURACY, target=locked
    )
    # Only the reply's own page shows the date (not search, not Similar Q&A).
    changes.question_changed(locked.question_id, what=changes.PAGE)
    return locked
