"""Moderators' decisions on doctor accounts, as one action over a table of transitions.

Verify, reject, suspend and restore all run the same steps: lock the profile, leave it
alone if it already has the new status (deciding twice changes nothing), refuse it
from any status but the one the decision applies to, set the status and the reason the
doctor is shown, join or leave the Doctors group, log one audit event, e-mail the
doctor and refresh every page that shows them (questions/changes.py). What differs
between them is data: DOCTOR_TRANSITIONS. The moderation queue (answers/views/) and
the admin (answers/admin/doctors.py) both go through change_doctor_status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from answers.actions.errors import ActionNotAllowed, required_reason
from answers.actions.information import close_requests_of_doctor
from answers.models import QuestionClaim
from answers.notifications import notify_doctor_status
from forum import roles
from forum.actions import log_moderation_event
from forum.models import DoctorProfile, ModerationEvent
from questions import changes

Status = DoctorProfile.Status
StrOrPromise = str | Promise  # a message, translated when it is shown


@dataclass(frozen=True)
class DoctorTransition:
    """One decision on a doctor account: from which status to which, and its effects."""

    name: str
    from_status: str
    to_status: str
    event: str  # the ModerationEvent.Action logged
    refusal: StrOrPromise  # shown when the profile is in another status (%(status)s)
    reason_required: bool = False
    # The reason is kept on the profile (the doctor is shown it) or the old one cleared.
    keeps_reason: bool = False
    # True: the user joins the Doctors group (can answer); False: leaves it; None: neither.
    doctors_group: bool | None = None
    records_verifier: bool = False  # sets verified_by and verified_at
    drops_claims: bool = False  # the doctor's claims on questions end at once


DOCTOR_TRANSITIONS: dict[str, DoctorTransition] = {
    transition.name: transition
    for transition in (
        DoctorTransition(
            name="verify",
            from_status=Status.APPLIED,
            to_status=Status.VERIFIED,
            event=ModerationEvent.Action.VERIFY_DOCTOR,
            refusal=_("Only applications can be verified; this one is %(status)s."),
            doctors_group=True,
            records_verifier=True,
        ),
        DoctorTransition(
            name="reject",
            from_status=Status.APPLIED,
            to_status=Status.REJECTED,
            event=ModerationEvent.Action.REJECT_DOCTOR,
            refusal=_("Only applications can be rejected; this one is %(status)s."),
            reason_required=True,
            keeps_reason=True,
        ),
        DoctorTransition(
            name="suspend",
            from_status=Status.VERIFIED,
            to_status=Status.SUSPENDED,
            event=ModerationEvent.Action.SUSPEND_DOCTOR,
            refusal=_("Only verified doctors can be suspended; this one is %(status)s."),
            reason_required=True,
            keeps_reason=True,
            doctors_group=False,
            drops_claims=True,
        ),
        DoctorTransition(
            name="restore",
            from_status=Status.SUSPENDED,
            to_status=Status.VERIFIED,
            event=ModerationEvent.Action.RESTORE_DOCTOR,
            refusal=_("Only suspended doctors can be restored; this one is %(status)s."),
            doctors_group=True,
        ),
    )
}


def transition_between(from_status: str, to_status: str) -> DoctorTransition | None:
    """The decision that takes a profile from one status to the other, if there is one."""
    for transition in DOCTOR_TRANSITIONS.values():
        if (transition.from_status, transition.to_status) == (from_status, to_status):
            return transition
    return None


@transaction.atomic
def change_doctor_status(
    *, doctor: DoctorProfile, transition: str, moderator, reason: str = ""
) -> DoctorProfile:
    """Make one decision of DOCTOR_TRANSITIONS (by name) on the doctor account. Idempotent."""
    step = DOCTOR_TRANSITIONS[transition]
    if step.reason_required:
        reason = required_reason(reason)
    locked = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor.pk)
    if locked.status == step.to_status:
        return locked
    if locked.status != step.from_status:
        # The status in words, lower case in a sentence ("this one is rejected").
        status = str(Status(locked.status).label).lower()
        raise ActionNotAllowed(str(step.refusal) % {"status": status})
    locked.status = step.to_status
    locked.status_reason = reason if step.keeps_reason else ""
    fields = ["status", "status_reason"]
    if step.records_verifier:
        locked.verified_by = moderator
        locked.verified_at = timezone.now()
        fields += ["verified_by", "verified_at"]
    locked.save(update_fields=fields)
    if step.doctors_group is True:
        locked.user.groups.add(_doctors_group())
    elif step.doctors_group is False:
        locked.user.groups.remove(_doctors_group())
    if step.drops_claims:
        QuestionClaim.objects.filter(doctor=locked).delete()
        close_requests_of_doctor(doctor=locked, moderator=moderator)
    log_moderation_event(actor=moderator, action=step.event, target=locked, reason=reason)
    notify_doctor_status(doctor=locked)
    changes.doctor_changed(locked)
    return locked


def verify_doctor(*, doctor: DoctorProfile, moderator, reason: str = "") -> DoctorProfile:
    """Verify an applicant: they join the Doctors group and can answer. Idempotent."""
    return change_doctor_status(
        doctor=doctor, transition="verify", moderator=moderator, reason=reason
    )


def reject_doctor(*, doctor: DoctorProfile, moderator, reason: str) -> DoctorProfile:
    """Turn down an application, telling the applicant why. Idempotent."""
    return change_doctor_status(
        doctor=doctor, transition="reject", moderator=moderator, reason=reason
    )


def suspend_doctor(*, doctor: DoctorProfile, moderator, reason: str) -> DoctorProfile:
    """Take every doctor page and action away from a verified doctor at once. Idempotent."""
    return change_doctor_status(
        doctor=doctor, transition="suspend", moderator=moderator, reason=reason
    )


def restore_doctor(*, doctor: DoctorProfile, moderator, reason: str = "") -> DoctorProfile:
    """Give a suspended doctor their account back. Idempotent."""
    return change_doctor_status(
        doctor=doctor, transition="restore", moderator=moderator, reason=reason
    )


def _doctors_group() -> Group:
    return Group.objects.get(name=roles.DOCTORS)
