"""E-mail digests of questions: a doctor's opt-in, and each delivery sent once."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from answers.models import DigestDelivery
from answers.notifications import send_digest_after_commit
from forum.models import DoctorProfile, User
from questions.models import Question


def set_digest_preference(*, doctor: DoctorProfile, wants_digest: bool) -> DoctorProfile:
    """Opt the doctor in to or out of the new-questions e-mail digest."""
    DoctorProfile.objects.filter(pk=doctor.pk).update(wants_digest=wants_digest)
    doctor.wants_digest = wants_digest
    return doctor


@transaction.atomic
def deliver_digest(
    *,
    recipient,
    kind: str,
    questions: Sequence[Question],
    subject: str,
    template: str,
    context: dict | None = None,
) -> list[Question]:
    """E-mail the recipient the questions they were not sent before, and remember them.

    Returns the questions sent (none when all were sent before). The recipient's row is
    locked so two overlapping runs cannot send the same question twice.
    """
    list(User.objects.select_for_update().filter(pk=recipient.pk).values_list("pk", flat=True))
    already = set(
        DigestDelivery.objects.filter(
            recipient=recipient, kind=kind, question__in=[q.pk for q in questions]
        ).values_list("question_id", flat=True)
    )
    new = [q for q in questions if q.pk not in already]
    if not new or not recipient.email:
        return []
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(recipient=recipient, question=q, kind=kind) for q in new]
    )
    new_ids = [q.pk for q in new]

    def forget() -> None:
        DigestDelivery.objects.filter(
            recipient=recipient, kind=kind, question_id__in=new_ids
        ).delete()

    send_digest_after_commit(
        to=recipient.email,
        subject=subject,
        template=template,
        context={**(context or {}), "questions": new},
        on_failure=forget,
    )
    return new
