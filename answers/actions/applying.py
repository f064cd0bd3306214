"""A user's application to answer as a doctor (a moderator then decides on it:
answers/actions/moderation/doctors.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from answers.actions.errors import ActionNotAllowed
from forum.models import DoctorProfile, Specialty


@transaction.atomic
def apply_as_doctor(
    *,
    user,
    display_name: str,
    license_number: str,
    hospital: str,
    bio: str,
    specialties: Iterable[Specialty],
    practising_since: int | None = None,
) -> DoctorProfile:
    """Create or update the user's doctor application; it waits as `applied` for a moderator."""
    profile = DoctorProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = DoctorProfile(user=user)
    elif profile.status not in (DoctorProfile.Status.APPLIED, DoctorProfile.Status.REJECTED):
        raise ActionNotAllowed(_("Your doctor account has already been decided on."))
    profile.display_name = display_name
    profile.license_number = license_number
    profile.hospital = hospital
    profile.bio = bio
    profile.practising_since = practising_since
    profile.status = DoctorProfile.Status.APPLIED
    profile.status_reason = ""
    profile.save()
    profile.specialties.set(specialties)
    return profile
