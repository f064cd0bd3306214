"""Extra roles for the doctor and moderation tests (the root conftest has the others)."""

import pytest

from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory, UserFactory


@pytest.fixture
def applied_doctor(db, specialty):
    """Someone who applied as a doctor and is waiting for a moderator."""
    return DoctorProfileFactory(
        display_name="Wang Applicant",
        user=UserFactory(email="applicant@example.org"),
        status=DoctorProfile.Status.APPLIED,
        verified_at=None,
        specialties=[specialty],
    )


@pytest.fixture
def suspended_doctor(db, specialty):
    """A doctor a moderator verified and then suspended."""
    return DoctorProfileFactory(
        display_name="Lee Suspended",
        user=UserFactory(email="suspended@example.org"),
        status=DoctorProfile.Status.SUSPENDED,
        specialties=[specialty],
    )


@pytest.fixture
def other_doctor(db, specialty):
    """A second verified doctor in Neurology."""
    return DoctorProfileFactory(display_name="Kao Other", specialties=[specialty])


@pytest.fixture
def trusted(settings):
    """Replies publish at once (no held period for new doctors)."""
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    return settings


@pytest.fixture
def world(db, patient, question, reply, doctor, specialty, moderator, editor):
    """A user of every role around the question and its `reply` (the test module's
    fixture), by name: the report tests' roles."""
    other_specialty = SpecialtyFactory(name="Dermatology", slug="dermatology")
    return {
        "anonymous": None,
        "author": patient,
        "patient": UserFactory(email="reader@example.org"),
        "verified": DoctorProfileFactory(specialties=[specialty]).user,
        "unverified": DoctorProfileFactory(
            status=DoctorProfile.Status.APPLIED, verified_at=None, specialties=[specialty]
        ).user,
        "suspended": DoctorProfileFactory(
            status=DoctorProfile.Status.SUSPENDED, specialties=[specialty]
        ).user,
        "other_specialty": DoctorProfileFactory(specialties=[other_specialty]).user,
        "reply_author": doctor.user,
        "moderator": moderator,
        "editor": editor,
        "staff": UserFactory(email="staff@example.org", is_staff=True),
    }
