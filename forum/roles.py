"""Roles are Django groups; these predicates are the one place that names them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forum.models import DoctorProfile

DOCTORS = "Doctors"
MODERATORS = "Moderators"
EDITORS = "Editors"


def _in_group(user: Any, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names = cache
    return name in cache


def is_moderator(user: Any) -> bool:
    """Moderators approve questions, verify doctors and hide replies."""
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, MODERATORS)


def is_editor(user: Any) -> bool:
    """Editors write articles, FAQs and tags in admin."""
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, EDITORS)


def verified_doctor(user: Any) -> DoctorProfile | None:
    """The user's doctor profile if verified (not applied, rejected or suspended), else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    from forum.models import DoctorProfile

    try:
        profile = user.doctor_profile
    except DoctorProfile.DoesNotExist:
        return None
    return profile if profile.is_verified else None


def needs_two_factor(user: Any) -> bool:
    """Moderators, editors and staff must use two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return _in_group(user, MODERATORS) or _in_group(user, EDITORS)
