"""A doctor's information request: a short question to the patient before answering.

Sending one keeps the doctor's claim on the question while it waits, at most
INFORMATION_REQUEST_HOLD_HOURS (the claim is extended, never shortened, by anything the
doctor does meanwhile); the patient's answer holds it that long again for the reply.
A request closes without an answer when the doctor withdraws it (the claim is released),
replies without waiting, is suspended, or when its hold passes (send_answer_reminders).
A withdrawn (deleted) question takes its requests with it. Each change is logged.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed
from answers.models import InformationRequest, QuestionClaim, Reply
from answers.notifications import (
    notify_information_answered,
    notify_information_requested,
)
from answers.permissions import can_reply_to
from forum.actions import log_moderation_event
from forum.models import DoctorProfile, ModerationEvent, User
from questions import changes
from questions.models import Question

# A doctor asks at most this many times on one question.
MAX_REQUESTS_PER_DOCTOR = 3


def hold_until(now: datetime) -> datetime:
    """How long a request (or its answer) keeps the doctor's claim."""
    return now + timedelta(hours=settings.INFORMATION_REQUEST_HOLD_HOURS)


def information_request_refusal(
    doctor: DoctorProfile,
    question: Question,
    *,
    active_claim: QuestionClaim | None,
    requests: list[InformationRequest],
    has_replied: bool,
    now: datetime,
) -> str | None:
    """Why this doctor cannot send an information request on the question now, in words
    for them; None when they can. The caller has checked can_reply_to. `active_claim`:
    the question's unexpired claim; `requests`: every request on the question;
    `has_replied`: the doctor has a reply."""
    if question.is_duplicate:
        return _("This question is not open for your replies.")
    if question.author_id is None:
        return _("The patient's account is closed: nobody can answer a request.")
    if has_replied:
        return _("You have already replied to this question.")
    if active_claim is not None and active_claim.doctor_id != doctor.pk:
        return _("Another doctor is answering this question.")
    if any(r.status == InformationRequest.Status.OPEN and r.expires_at > now for r in requests):
        return _("A request is already waiting for the patient's answer.")
    if sum(r.doctor_id == doctor.pk for r in requests) >= MAX_REQUESTS_PER_DOCTOR:
        return _("You have asked this patient %(count)d times; please answer now.") % {
            "count": MAX_REQUESTS_PER_DOCTOR
        }
    return None


def _hold_claim(*, question_id: int, doctor: DoctorProfile, until: datetime) -> None:
    """Keep (or give) the doctor the claim until `until`, never shortening it."""
    if settings.CLAIM_MINUTES <= 0:
        return  # claims are off
    claim = QuestionClaim.objects.select_for_update().filter(question_id=question_id).first()
    if claim is None:
        QuestionClaim.objects.create(question_id=question_id, doctor=doctor, expires_at=until)
    elif claim.doctor_id == doctor.pk:
        claim.expires_at = max(until, claim.expires_at)
        claim.save(update_fields=["expires_at"])
    elif claim.expires_at <= timezone.now():
        claim.doctor = doctor
        claim.expires_at = until
        claim.save(update_fields=["doctor", "expires_at"])


@transaction.atomic
def request_information(
    *, question: Question, doctor: DoctorProfile, text: str
) -> InformationRequest:
    """Send the patient the doctor's question; the doctor keeps the claim while it waits,
    and the patient is e-mailed (their "a doctor asks me" setting)."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    now = timezone.now()
    _close_lapsed(question_id=locked.pk, now=now)
    if not can_reply_to(doctor, locked):
        raise ActionNotAllowed(_("This question is not open for your replies."))
    refusal = information_request_refusal(
        doctor,
        locked,
        active_claim=QuestionClaim.objects.filter(question=locked, expires_at__gt=now).first(),
        requests=list(InformationRequest.objects.filter(question=locked)),
        has_replied=Reply.objects.filter(question=locked, doctor=doctor).exists(),
        now=now,
    )
    if refusal is not None:
        raise ActionNotAllowed(refusal)
    request = InformationRequest.objects.create(
        question=locked, doctor=doctor, text=text.strip(), expires_at=hold_until(now)
    )
    _hold_claim(question_id=locked.pk, doctor=doctor, until=request.expires_at)
    log_moderation_event(
        actor=doctor.user, action=ModerationEvent.Action.REQUEST_INFORMATION, target=request
    )
    notify_information_requested(request=request, question=locked)
    return request


@transaction.atomic
def answer_information_request(
    *, request: InformationRequest, author: User, answer: str, urgent: bool = False
) -> InformationRequest:
    """The question's author answers the doctor's request; the doctor keeps the claim for
    another hold to reply, and is told. `urgent`: the answer has red flags the patient
    confirmed sending (the doctor sees it marked)."""
    locked = (
        InformationRequest.objects.select_for_update()
        .select_related("question", "doctor__user")
        .get(pk=request.pk)
    )
    question = locked.question
    if question.author_id != author.pk:
        raise ActionNotAllowed(_("Only the question's author can answer this request."))
    if not locked.is_open:
        raise ActionNotAllowed(_("This request is no longer waiting for an answer."))
    if not question.is_published:
        raise ActionNotAllowed(_("Your question is not published, so it cannot be answered now."))
    now = timezone.now()
    locked.answer = answer.strip()
    locked.answer_is_urgent = urgent
    locked.answered_at = now
    locked.status = InformationRequest.Status.ANSWERED
    locked.save(update_fields=["answer", "answer_is_urgent", "answered_at", "status"])
    if locked.doctor.is_verified:
        _hold_claim(question_id=question.pk, doctor=locked.doctor, until=hold_until(now))
    # No actor: the log names no patient (as for a withdrawn question).
    log_moderation_event(
        actor=None, action=ModerationEvent.Action.ANSWER_INFORMATION, target=locked
    )
    notify_information_answered(request=locked)
    changes.information_request_changed(question.pk)
    return locked


def _close(request: InformationRequest, *, actor, because: str, now: datetime) -> None:
    request.status = InformationRequest.Status.CLOSED
    request.closed_because = because
    request.closed_at = now
    request.save(update_fields=["status", "closed_because", "closed_at"])
    log_moderation_event(
        actor=actor,
        action=ModerationEvent.Action.CLOSE_INFORMATION,
        target=request,
        reason=str(InformationRequest.Closed(because).label),
    )


@transaction.atomic
def withdraw_information_request(
    *, request: InformationRequest, doctor: DoctorProfile
) -> InformationRequest:
    """The doctor takes back their open request and releases the question to others."""
    locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.doctor_id != doctor.pk:
        raise ActionNotAllowed(_("Doctors can only withdraw their own requests."))
    if locked.status != InformationRequest.Status.OPEN:
        return locked  # answered or closed meanwhile: nothing to withdraw
    _close(
        locked, actor=doctor.user, because=InformationRequest.Closed.WITHDRAWN, now=timezone.now()
    )
    QuestionClaim.objects.filter(question_id=locked.question_id, doctor=doctor).delete()
    return locked


def close_requests_on_reply(*, question_id: int, doctor: DoctorProfile) -> int:
    """The doctor replied: their request still waiting on the question closes (called in
    the reply's transaction)."""
    now = timezone.now()
    requests = list(
        InformationRequest.objects.select_for_update().filter(
            question_id=question_id, doctor=doctor, status=InformationRequest.Status.OPEN
        )
    )
    for request in requests:
        _close(request, actor=doctor.user, because=InformationRequest.Closed.REPLIED, now=now)
    return len(requests)


def close_requests_of_doctor(*, doctor: DoctorProfile, moderator) -> int:
    """The doctor was suspended (or rejected): their open requests close; the patients
    no longer see them (called in the decision's transaction)."""
    now = timezone.now()
    requests = list(
        InformationRequest.objects.select_for_update().filter(
            doctor=doctor, status=InformationRequest.Status.OPEN
        )
    )
    for request in requests:
        _close(request, actor=moderator, because=InformationRequest.Closed.SUSPENDED, now=now)
    return len(requests)


def _close_lapsed(*, question_id: int | None = None, now: datetime) -> int:
    lapsed = InformationRequest.objects.select_for_update().lapsed(now=now)
    if question_id is not None:
        lapsed = lapsed.filter(question_id=question_id)
    requests = list(lapsed)
    for request in requests:
        _close(request, actor=None, because=InformationRequest.Closed.EXPIRED, now=now)
    return len(requests)


@transaction.atomic
def close_lapsed_information_requests(*, now: datetime) -> int:
    """Close every request whose hold passed without an answer (logged); the claim it
    held has lapsed with it."""
    return _close_lapsed(now=now)
