"""Writes that change a question's state: moderation decisions, and patients asking,
editing and closing their accounts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from forum.actions import log_moderation_event
from forum.models import ModerationEvent, Specialty, User
from forum.retention import scrub_audit_log
from questions import changes
from questions.limits import next_question_allowed_at
from questions.models import FollowUp, Question
from questions.notifications import notify_question_published, notify_question_rejected
from questions.permissions import can_delete_own_account
from questions.screening import ScreeningResult, screen


@transaction.atomic
def approve_question(*, question: Question, moderator: User, reason: str = "") -> Question:
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
    # Published again after a rejection with its answer: back in others' lists.
    changes.question_changed(
        locked.pk,
        what={changes.STATUS, changes.ANSWER} if locked.answered_at else changes.STATUS,
    )
    return locked


@transaction.atomic
def reject_question(*, question: Question, moderator: User, reason: str) -> Question:
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
    changes.question_changed(locked.pk, what=changes.STATUS, listed=was_public)
    return locked


@transaction.atomic
def remove_question(*, question: Question, moderator: User, reason: str) -> Question:
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
    changes.question_changed(locked.pk, what=changes.STATUS, listed=True)
    return locked


# Moderator redaction (issue: doctors and moderators).
@transaction.atomic
def edit_question(
    *, question: Question, moderator: User, title: str, body: str, reason: str = ""
) -> Question:
    """Let a moderator redact a question's title or text; no-op when unchanged."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    title, body = title.strip(), body.strip()
    if (locked.title, locked.body) == (title, body):
        return locked
    if title != locked.title:
        # The old slug could repeat what was redacted from the title.
        locked.slug = ""
    locked.title, locked.body = title, body
    locked.save()
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.EDIT_QUESTION,
        target=locked,
        reason=reason.strip() or "Redacted before publishing",
    )
    changes.question_changed(locked.pk, what=changes.TEXT, listed=locked.is_published)
    return locked


# --- Patients: asking, editing, closing the account ---------------------------------

logger = logging.getLogger("questions.patients")


class DailyQuestionLimitReached(Exception):
    """The author has asked settings.QUESTIONS_PER_DAY questions in the last 24 hours."""

    def __init__(self, allowed_at: datetime) -> None:
        self.allowed_at = allowed_at
        super().__init__(f"Daily question limit reached until {allowed_at.isoformat()}")


class PersonalDataFound(ValueError):
    """The text contains personal data; forms report it before this is ever raised."""

    def __init__(self, result: ScreeningResult) -> None:
        self.result = result
        super().__init__("The question contains personal data.")


class QuestionNotEditable(Exception):
    """The question is no longer pending (a moderator has reviewed it)."""


class AccountDeletionNotAllowed(Exception):
    """Staff and doctor accounts are closed by the team, not from the patient pages."""


class DeletedAccount(NamedTuple):
    kept_questions: int
    removed_questions: int


def _screen_question(*, nickname: str, title: str, body: str) -> ScreeningResult:
    result = screen(nickname).merge(screen(title)).merge(screen(body))
    if result.blocks_submission:
        raise PersonalDataFound(result)
    return result


@transaction.atomic
def submit_question(
    *,
    author: User,
    nickname: str,
    subject: str,
    age_range: str,
    sex: str,
    specialty: Specialty,
    title: str,
    body: str,
    tags: Sequence[str] = (),
) -> Question:
    """Create a pending, screened, tagged question; enforces the daily limit."""
    # Lock the author's row so two simultaneous submissions cannot both pass the limit.
    list(get_user_model().objects.select_for_update().filter(pk=author.pk).values_list("pk"))
    allowed_at = next_question_allowed_at(author)
    if allowed_at is not None:
        raise DailyQuestionLimitReached(allowed_at)
    result = _screen_question(nickname=nickname, title=title, body=body)
    question = Question.objects.create(
        author=author,
        nickname=nickname,
        subject=subject,
        age_range=age_range,
        sex=sex,
        specialty=specialty,
        title=title,
        body=body,
        status=Question.Status.PENDING,
        is_urgent=result.is_urgent,
        screening=result.as_dict(),
    )
    if tags:
        question.tags.set(list(tags))
    logger.info("question submitted id=%s urgent=%s", question.pk, question.is_urgent)
    return question


@transaction.atomic
def edit_pending_question(
    *,
    question: Question,
    author: User,
    nickname: str,
    subject: str,
    age_range: str,
    sex: str,
    specialty: Specialty,
    title: str,
    body: str,
    tags: Sequence[str] = (),
) -> Question:
    """Change a question its author asked while no moderator has reviewed it yet."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.author_id != author.pk or locked.status != Question.Status.PENDING:
        raise QuestionNotEditable(f"Question {locked.pk} cannot be edited.")
    result = _screen_question(nickname=nickname, title=title, body=body)
    locked.nickname = nickname
    locked.subject = subject
    locked.age_range = age_range
    locked.sex = sex
    locked.specialty = specialty
    if locked.title != title:
        locked.title = title
        locked.slug = ""  # Question.save derives it from the new title
    locked.body = body
    locked.is_urgent = result.is_urgent
    locked.screening = result.as_dict()
    locked.save()
    locked.tags.set(list(tags))
    return locked


class QuestionNotWithdrawable(Exception):
    """The question is not this person's (or is gone already)."""


@transaction.atomic
def withdraw_question(*, question: Question, author: User) -> None:
    """The author takes one question back, whatever its status: it is deleted at once
    with its replies, follow-ups (and the doctors' answers to them), tags, claims and
    stored lists (CASCADE), as closing the account deletes the questions it does not
    keep. The replies go too: they answer the patient's own account of their health and
    would tell it again without the question. The audit log keeps that the author
    withdrew question N and when, and nothing of its words (retention's scrub). Its page,
    search, feeds, the sitemap and every page whose Similar Q&A may list it are refreshed
    on the next request."""
    locked = Question.objects.select_for_update().filter(pk=question.pk).first()
    if locked is None or locked.author_id != author.pk:
        raise QuestionNotWithdrawable(f"Question {question.pk} cannot be withdrawn.")
    was_public = locked.status == Question.Status.PUBLISHED
    # No actor: the log names no patient; the sentence says "the author".
    log_moderation_event(actor=None, action=ModerationEvent.Action.WITHDRAW_QUESTION, target=locked)
    pk = locked.pk
    # Its follow-ups go with it (CASCADE): their log entries keep no words either.
    follow_up_ids = list(locked.follow_ups.values_list("pk", flat=True))
    locked.delete()
    scrub_audit_log(Question, [pk])
    scrub_audit_log(FollowUp, follow_up_ids)
    if was_public:
        changes.questions_removed([pk])
    logger.info("question withdrawn by its author question=%s", pk)


@transaction.atomic
def delete_account(*, user: User, keep_published_questions: bool) -> DeletedAccount:
    """Delete a patient's account. Published questions either stay online with no link to
    the account (author=None) or go with it; unpublished ones always go."""
    if not can_delete_own_account(user):
        raise AccountDeletionNotAllowed("Staff and doctor accounts are closed by the team.")
    published_ids = list(Question.objects.by_author(user).published().values_list("pk", flat=True))
    kept = 0
    removed_public: list[int] = published_ids
    if keep_published_questions:
        kept = Question.objects.filter(pk__in=published_ids).update(author=None)
        removed_public = []
    doomed = Question.objects.by_author(user)
    removed = doomed.count()
    doomed.delete()  # replies, tag links and claims go with them (CASCADE)
    user.delete()
    changes.questions_removed(removed_public)
    logger.info("account deleted kept=%s removed=%s", kept, removed)
    return DeletedAccount(kept_questions=kept, removed_questions=removed)


@transaction.atomic
def set_question_tags(*, question: Question, tags: list[str], editor: User) -> Question:
    """Replace a question's tags (logged); its page and other pages' Similar Q&A follow."""
    names = sorted({name.strip() for name in tags if name.strip()}, key=str.lower)
    before = sorted(question.tags.names(), key=str.lower)
    if names == before:
        return question
    before_ids = list(question.tags.values_list("pk", flat=True))
    question.tags.set(names)
    log_moderation_event(
        actor=editor,
        action=ModerationEvent.Action.EDIT_QUESTION,
        target=question,
        reason=f"Tags: {', '.join(before) or '(none)'} -> {', '.join(names) or '(none)'}",
    )
    # The question may enter or leave any other page's Similar Q&A, hence all pages.
    changes.question_changed(question.pk, what=changes.TAGS, old_tag_ids=before_ids)
    return question
