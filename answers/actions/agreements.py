"""A verified doctor agreeing with another doctor's published reply, or no longer."""

from __future__ import annotations

from django.db import transaction

from answers.models import Agreement, Reply
from forum.models import DoctorProfile
from questions import changes


@transaction.atomic
def toggle_agreement(*, reply: Reply, doctor: DoctorProfile) -> bool:
    """Agree with the reply, or take the agreement back if there was one; True when the
    doctor agrees now. The page shows who agrees, so it is refreshed."""
    deleted, _ = Agreement.objects.filter(reply=reply, doctor=doctor).delete()
    if not deleted:
        Agreement.objects.get_or_create(reply=reply, doctor=doctor)
    changes.question_changed(reply.question_id, what=changes.PAGE)
    return not deleted
