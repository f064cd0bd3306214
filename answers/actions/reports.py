"""Reports from readers and doctors' flags, and the moderators' decisions on them.

What can be reported is Report.Kind (a question, a reply, a patient's follow-up); KINDS
below says, for each kind, where its items are found and how one is hidden, restored
and edited. Adding a kind is one Report.Kind choice and one row of KINDS.

A report is one person's, once per item (a database constraint). When
settings.REPORT_HIDE_THRESHOLD reports of an item are open, the item is hidden pending
review through the same moderation actions as a moderator's hide, so the page cache,
the search document and Similar Q&A follow through questions/changes.py. A moderator's
decision (dismiss, hide, remove, edit) closes every open report of the item with one
outcome, writes the audit log and tells each reporter the outcome by e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed, required_reason
from answers.actions.follow_ups import hide_follow_up, redact_follow_up, restore_follow_up
from answers.actions.moderation.replies import hide_reply, restore_reply
from answers.actions.replying import lock_question, refresh_reply_pages
from answers.models import Reply, ReplyVersion
from answers.notifications import notify_report_outcome
from forum.actions import log_moderation_event
from forum.models import ModerationEvent, Report
from questions import changes
from questions.actions import edit_question
from questions.models import FollowUp, Question

Action = ModerationEvent.Action
Outcome = Report.Outcome
DECISIONS = ("dismiss", "hide", "remove", "redact")


class AlreadyReported(Exception):
    """The person has reported this item before (one report per person and item)."""


# --- Questions -----------------------------------------------------------------------


def _hide_question(question: Question, actor, reason: str, action: str) -> None:
    """Take a published question off the site (status removed, kept for the audit
    trail); log `action` either way, so every decision has its entry."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status == Question.Status.PUBLISHED:
        locked.status = Question.Status.REMOVED
        locked.save(update_fields=["status", "updated_at"])
        changes.question_changed(locked.pk, what=changes.STATUS, listed=True)
    log_moderation_event(actor=actor, action=action, target=locked, reason=reason)


def _restore_question(question: Question, actor, reason: str) -> None:
    """Publish again a question that reports hid (no second "published" e-mail)."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status != Question.Status.REMOVED:
        return
    locked.status = Question.Status.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    log_moderation_event(actor=actor, action=Action.RESTORE_QUESTION, target=locked, reason=reason)
    changes.question_changed(
        locked.pk,
        what={changes.STATUS, changes.ANSWER} if locked.answered_at else changes.STATUS,
        listed=True,
    )


def _redact_question(question: Question, moderator, fields: dict, reason: str) -> None:
    edit_question(
        question=question,
        moderator=moderator,
        title=fields["title"],
        body=fields["body"],
        reason=reason or _("Edited after a report"),
    )


def _question_visible(question: Question) -> bool:
    return question.status == Question.Status.PUBLISHED


# --- Replies -------------------------------------------------------------------------


def _hide_reply(reply: Reply, actor, reason: str, action: str) -> None:
    if reply.status == Reply.Status.PUBLISHED:
        hide_reply(reply=reply, moderator=actor, reason=reason)  # logs HIDE_REPLY
    else:
        log_moderation_event(actor=actor, action=Action.HIDE_REPLY, target=reply, reason=reason)


def _restore_reply(reply: Reply, actor, reason: str) -> None:
    if reply.status == Reply.Status.HIDDEN and reply.published_at is not None:
        restore_reply(reply=reply, moderator=actor, reason=reason)


def _redact_reply(reply: Reply, moderator, fields: dict, reason: str) -> None:
    """A moderator edits a reply's text (the earlier text is kept as a version)."""
    lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    body = fields["body"].strip()
    if body == locked.body:
        return
    ReplyVersion.objects.create(reply=locked, body=locked.body)
    locked.body = body
    locked.save(update_fields=["body", "updated_at"])
    log_moderation_event(
        actor=moderator,
        action=Action.EDIT_REPLY,
        target=locked,
        reason=reason or _("Edited after a report"),
    )
    if locked.is_published:
        refresh_reply_pages(locked, first_reply_changed=_is_first(locked))


def _is_first(reply: Reply) -> bool:
    first = (
        Reply.objects.published()
        .to_questions()
        .filter(question_id=reply.question_id)
        .order_by("published_at", "id")
    )
    return first.values_list("pk", flat=True).first() == reply.pk


def _reply_visible(reply: Reply) -> bool:
    return reply.status == Reply.Status.PUBLISHED and reply.question.is_published


# --- Follow-ups ----------------------------------------------------------------------


def _follow_up_visible(follow_up: FollowUp) -> bool:
    return follow_up.is_published and follow_up.question.is_published


def _hide_follow_up(follow_up: FollowUp, actor, reason: str, action: str) -> None:
    hide_follow_up(follow_up=follow_up, actor=actor, reason=reason, action=action)


def _restore_follow_up(follow_up: FollowUp, actor, reason: str) -> None:
    restore_follow_up(follow_up=follow_up, actor=actor, reason=reason)


def _redact_follow_up(follow_up: FollowUp, moderator, fields: dict, reason: str) -> None:
    redact_follow_up(
        follow_up=follow_up,
        moderator=moderator,
        body=fields["body"],
        reason=reason or _("Edited after a report"),
    )


@dataclass(frozen=True)
class ReportableKind:
    """How the report queue finds, hides, restores and edits one kind of item."""

    items: Callable[[], models.QuerySet]  # every item of the kind, with what pages show
    question_id: Callable[[Any], int]  # the question whose page shows the item
    is_visible: Callable[[Any], bool]  # public now, so it can be reported
    hide: Callable[[Any, Any, str, str], None]  # hide(item, actor, reason, action)
    restore: Callable[[Any, Any, str], None]
    redact: Callable[[Any, Any, dict, str], None]  # redact(item, moderator, fields, reason)
    hide_action: str  # the audit-log actions of "hide" and "remove"
    remove_action: str


KINDS: dict[str, ReportableKind] = {
    Report.Kind.QUESTION: ReportableKind(
        items=lambda: Question.objects.select_related("specialty"),
        question_id=lambda question: question.pk,
        is_visible=_question_visible,
        hide=_hide_question,
        restore=_restore_question,
        redact=_redact_question,
        hide_action=Action.HIDE_QUESTION,
        remove_action=Action.REMOVE_QUESTION,
    ),
    Report.Kind.REPLY: ReportableKind(
        items=lambda: Reply.objects.select_related("question__specialty", "doctor__user"),
        question_id=lambda reply: reply.question_id,
        is_visible=_reply_visible,
        hide=_hide_reply,
        restore=_restore_reply,
        redact=_redact_reply,
        hide_action=Action.HIDE_REPLY,
        remove_action=Action.HIDE_REPLY,
    ),
    Report.Kind.FOLLOW_UP: ReportableKind(
        items=lambda: FollowUp.objects.select_related("question__specialty", "reply__doctor"),
        question_id=lambda follow_up: follow_up.question_id,
        is_visible=_follow_up_visible,
        hide=_hide_follow_up,
        restore=_restore_follow_up,
        redact=_redact_follow_up,
        hide_action=Action.HIDE_FOLLOW_UP,
        remove_action=Action.HIDE_FOLLOW_UP,
    ),
}


@transaction.atomic
def report_item(
    *, reporter, kind: str, item, reason: str, text: str = "", from_doctor: bool = False
) -> Report:
    """Record one person's report of a visible item; the report that brings the open
    reports to REPORT_HIDE_THRESHOLD hides the item pending review. AlreadyReported
    when this person reported the item before."""
    rules = KINDS[kind]
    lock_question(rules.question_id(item))  # reports of one page are counted in turn
    if not rules.is_visible(item):
        raise ActionNotAllowed(_("This can no longer be reported."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                target_kind=kind,
                target_id=item.pk,
                reason=reason,
                text=text.strip(),
                from_doctor=from_doctor,
            )
    except IntegrityError as error:
        raise AlreadyReported from error
    # An author's request for a correction is no complaint: it never hides the question.
    open_reports = (
        Report.objects.open().about(kind, item.pk).exclude(reason=Report.Reason.CORRECTION).count()
    )
    if open_reports >= settings.REPORT_HIDE_THRESHOLD:
        rules.hide(
            item,
            None,
            _("Hidden pending review: %(count)d open reports.") % {"count": open_reports},
            rules.hide_action,
        )
        report.hid_item = True
        report.save(update_fields=["hid_item"])
    return report


@transaction.atomic
def decide_reports(
    *, kind: str, item, moderator, decision: str, reason: str = "", fields: dict | None = None
) -> list[Report]:
    """Close every open report of an item with the moderator's decision:

    - dismiss: nothing wrong; an item the reports hid is shown again;
    - hide: the item stays (or goes) off the public pages;
    - remove: a question is taken off the site, a reply hidden for good;
    - redact: the text is edited (`fields`: title and body, or body) and the item, if
      the reports hid it, shown again.

    Writes the audit log, tells each reporter the outcome. ActionNotAllowed when no
    report is open (decided already)."""
    rules = KINDS[kind]
    lock_question(rules.question_id(item))
    reports = list(
        Report.objects.open().about(kind, item.pk).select_related("reporter").select_for_update()
    )
    if not reports:
        raise ActionNotAllowed(_("These reports have already been decided."))
    if decision not in DECISIONS:
        raise ActionNotAllowed(_("Unknown decision."))
    hidden_by_reports = any(report.hid_item for report in reports)
    item = rules.items().get(pk=item.pk)  # fresh, after the lock
    if decision == "dismiss":
        if hidden_by_reports:
            rules.restore(item, moderator, reason or _("Reports dismissed"))
        log_moderation_event(
            actor=moderator, action=Action.DISMISS_REPORTS, target=item, reason=reason
        )
        outcome = Outcome.DISMISSED
    elif decision == "hide":
        rules.hide(item, moderator, required_reason(reason), rules.hide_action)
        outcome = Outcome.HIDDEN
    elif decision == "remove":
        rules.hide(item, moderator, required_reason(reason), rules.remove_action)
        outcome = Outcome.REMOVED
    else:
        rules.redact(item, moderator, fields or {}, reason.strip())
        if hidden_by_reports:
            rules.restore(rules.items().get(pk=item.pk), moderator, _("Edited after a report"))
        outcome = Outcome.REDACTED
    now = timezone.now()
    for report in reports:
        report.status = Report.Status.DECIDED
        report.outcome = outcome
        report.decided_by = moderator
        report.decided_at = now
    Report.objects.bulk_update(reports, ["status", "outcome", "decided_by", "decided_at"])
    item = rules.items().get(pk=item.pk)
    item_url = item.get_absolute_url() if rules.is_visible(item) else ""
    for report in reports:
        notify_report_outcome(report=report, item_url=item_url)
    return reports
