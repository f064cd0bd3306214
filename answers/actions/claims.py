"""A doctor's soft claim on a question while they answer it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from answers.models import QuestionClaim
from forum.models import DoctorProfile
from questions.models import Question


@transaction.atomic
def claim_question(*, question: Question, doctor: DoctorProfile) -> QuestionClaim | None:
    """Claim the question for CLAIM_MINUTES unless another doctor's claim is still running
    (the doctor's own claim is extended, never shortened).

    Returns the claim now in force, which is another doctor's when they got there first
    (the claim is soft: the caller may still answer). CLAIM_MINUTES=0 turns claims off.
    """
    if settings.CLAIM_MINUTES <= 0:
        return None
    now = timezone.now()
    expires_at = now + timedelta(minutes=settings.CLAIM_MINUTES)
    claim = (
        QuestionClaim.objects.select_for_update()
        .select_related("doctor")
        .filter(question_id=question.pk)
        .first()
    )
    if claim is None:
        try:
            with transaction.atomic():
                return QuestionClaim.objects.create(
                    question_id=question.pk, doctor=doctor, expires_at=expires_at
                )
        except IntegrityError:
            # Another doctor opened the question at the same moment; theirs stands.
            return QuestionClaim.objects.select_related("doctor").get(question_id=question.pk)
    if claim.doctor_id == doctor.pk:
        # Never shortened: an information request may hold it for hours.
        if claim.expires_at < expires_at:
            claim.expires_at = expires_at
            claim.save(update_fields=["expires_at"])
    elif claim.expires_at <= now:
        claim.doctor = doctor
        claim.expires_at = expires_at
        claim.save(update_fields=["doctor", "expires_at"])
    return claim
