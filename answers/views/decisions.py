"""Every moderation decision (approve or reject a question or a follow-up; approve, send
back, hide or restore a reply; verify, reject, suspend or restore a doctor) is one view, `decide`,
over the table DECISIONS: what it is taken on, which action makes it, whether a reason
is required, what the moderator is told and which list they go back to.

Each decision URL (answers/urls.py) names its row. Who may decide is the same for all:
a signed-in moderator (else the log-in page or 403), by POST only (else 405); the
two-factor rule for /moderation/ is forum/security's middleware's. A missing reason
re-renders the decision with the error, keeping what was typed; a decision the target's
state does not allow goes back to the list with the action's message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from answers.actions.errors import ActionNotAllowed
from answers.actions.follow_ups import approve_follow_up, reject_follow_up
from answers.actions.moderation.doctors import DOCTOR_TRANSITIONS, change_doctor_status
from answers.actions.moderation.replies import (
    approve_reply,
    hide_reply,
    restore_reply,
    return_reply,
)
from answers.forms import ReasonForm
from answers.models import Reply
from answers.views.access import moderator_required
from forum.models import DoctorProfile
from forum.redirects import redirect_to_next, safe_next
from questions.actions import approve_question, reject_question
from questions.models import FollowUp, Question

StrOrPromise = str | Promise  # a message, translated when it is shown


@dataclass(frozen=True)
class Decision:
    """One row of DECISIONS."""

    targets: Callable[[], QuerySet]  # where the target is found by pk (else 404)
    act: Callable[[Any, Any, str], object]  # act(target, moderator, reason)
    done: StrOrPromise  # the success message; %(target)s is the target's name
    default_next: str  # the list to go back to (URL name) when `next` is not usable
    reason_required: bool = True
    # Statuses the decision may be tried from (empty: any, the action decides), and
    # what the moderator is told otherwise.
    applies_to: tuple[str, ...] = ()
    refusal: StrOrPromise = ""


def _doctor_decision(transition: str, done: StrOrPromise) -> Decision:
    """A row that makes one of the doctor transitions of answers.actions.moderation."""
    return Decision(
        targets=DoctorProfile.objects.all,
        act=lambda doctor, moderator, reason: change_doctor_status(
            doctor=doctor, transition=transition, moderator=moderator, reason=reason
        ),
        done=done,
        default_next="answers:moderation-doctors",
        reason_required=DOCTOR_TRANSITIONS[transition].reason_required,
    )


def _reply_decision(action, done: StrOrPromise, *, reason_required: bool = True) -> Decision:
    return Decision(
        targets=Reply.objects.for_moderation,
        act=lambda reply, moderator, reason: action(
            reply=reply, moderator=moderator, reason=reason
        ),
        done=done,
        default_next="answers:moderation-replies",
        reason_required=reason_required,
    )


# Keyed by URL name (answers/urls.py).
DECISIONS: dict[str, Decision] = {
    "question-approve": Decision(
        targets=Question.objects.all,
        act=lambda question, moderator, reason: approve_question(
            question=question, moderator=moderator
        ),
        done=_("Question approved and published."),
        default_next="answers:moderation",
        reason_required=False,
        applies_to=(Question.Status.PENDING, Question.Status.PUBLISHED),
        refusal=_("Only pending questions can be approved."),
    ),
    "question-reject": Decision(
        targets=Question.objects.all,
        act=lambda question, moderator, reason: reject_question(
            question=question, moderator=moderator, reason=reason
        ),
        done=_("Question rejected; the author has been told why."),
        default_next="answers:moderation",
        applies_to=(Question.Status.PENDING, Question.Status.REJECTED),
        refusal=_("Only pending questions can be rejected."),
    ),
    "reply-approve": _reply_decision(
        approve_reply, _("Reply approved and published."), reason_required=False
    ),
    "reply-return": _reply_decision(return_reply, _("Reply sent back to the doctor.")),
    "reply-hide": _reply_decision(hide_reply, _("Reply hidden.")),
    "reply-restore": _reply_decision(restore_reply, _("Reply restored.")),
    "follow-up-approve": Decision(
        targets=lambda: FollowUp.objects.select_related("question"),
        act=lambda follow_up, moderator, reason: approve_follow_up(
            follow_up=follow_up, moderator=moderator
        ),
        done=_("Follow-up approved and published; the doctors who replied are told."),
        default_next="answers:moderation-follow-ups",
        reason_required=False,
        applies_to=(FollowUp.Status.PENDING, FollowUp.Status.PUBLISHED),
        refusal=_("Only pending follow-ups can be approved."),
    ),
    "follow-up-reject": Decision(
        targets=lambda: FollowUp.objects.select_related("question"),
        act=lambda follow_up, moderator, reason: reject_follow_up(
            follow_up=follow_up, moderator=moderator, reason=reason
        ),
        done=_("Follow-up rejected; the asker has been told why."),
        default_next="answers:moderation-follow-ups",
        applies_to=(FollowUp.Status.PENDING, FollowUp.Status.PUBLISHED, FollowUp.Status.REJECTED),
        refusal=_("This follow-up can no longer be rejected."),
    ),
    "doctor-verify": _doctor_decision("verify", _("%(target)s is verified and can now answer.")),
    "doctor-reject": _doctor_decision("reject", _("Application rejected.")),
    "doctor-suspend": _doctor_decision("suspend", _("%(target)s is suspended.")),
    "doctor-restore": _doctor_decision("restore", _("%(target)s is restored.")),
}


@moderator_required
@require_POST
def decide(request, pk: int, decision: str):
    """Take the decision DECISIONS[decision] on object `pk`, then go back to the list.

    Where to go back to is vetted before anything runs, so no `next` can turn a
    committed decision into an error page.
    """
    row = DECISIONS[decision]
    target = get_object_or_404(row.targets(), pk=pk)
    if row.applies_to and target.status not in row.applies_to:
        messages.error(request, str(row.refusal))
        return redirect_to_next(request, row.default_next)
    next_url = safe_next(request, row.default_next)
    form = ReasonForm(request.POST, reason_required=row.reason_required)
    if not form.is_valid():
        return render(
            request,
            "answers/moderation_reason.html",
            {
                "form": form,
                "target": target,
                "target_kind": target._meta.model_name,
                "action_url": request.path,
                "next_url": next_url,
            },
        )
    done = str(row.done) % {"target": target}
    try:
        row.act(target, request.user, form.cleaned_data["reason"])
    except ActionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect_to_next(request, row.default_next, next_url)
