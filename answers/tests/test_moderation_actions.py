import pytest
from django.core import mail

from answers.actions import (
    ActionNotAllowed,
    apply_as_doctor,
    claim_question,
    redact_and_approve_question,
    reject_doctor,
    restore_doctor,
    suspend_doctor,
    verify_doctor,
)
from answers.models import QuestionClaim
from forum import roles
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import SpecialtyFactory, UserFactory
from questions.actions import approve_question
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory

pytestmark = pytest.mark.django_db


def _apply(user, **overrides):
    fields = {
        "display_name": "Ho Kai-lin",
        "license_number": "MD-777",
        "hospital": "Harbour General Hospital",
        "bio": "Family physician.",
        "specialties": [SpecialtyFactory(slug="family-medicine", name="Family Medicine")],
        **overrides,
    }
    return apply_as_doctor(user=user, **fields)


def test_applying_creates_an_applied_profile_outside_the_doctors_group(patient):
    profile = _apply(patient)
    assert profile.status == DoctorProfile.Status.APPLIED
    assert [s.slug for s in profile.specialties.all()] == ["family-medicine"]
    assert not patient.groups.filter(name=roles.DOCTORS).exists()
    assert roles.verified_doctor(patient) is None


def test_rejected_applicant_can_apply_again_but_a_verified_doctor_cannot(patient, doctor):
    profile = _apply(patient)
    DoctorProfile.objects.filter(pk=profile.pk).update(status=DoctorProfile.Status.REJECTED)
    assert _apply(patient, hospital="City Clinic").status == DoctorProfile.Status.APPLIED
    with pytest.raises(ActionNotAllowed):
        _apply(doctor.user, hospital="Somewhere else")
    assert DoctorProfile.objects.get(pk=doctor.pk).status == DoctorProfile.Status.VERIFIED


def test_verifying_adds_the_doctors_group_records_who_and_when_and_logs(
    applied_doctor, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verify_doctor(doctor=applied_doctor, moderator=moderator, reason="Register checked")
        verify_doctor(doctor=applied_doctor, moderator=moderator)
    applied_doctor.refresh_from_db()
    assert applied_doctor.status == DoctorProfile.Status.VERIFIED
    assert applied_doctor.verified_by == moderator
    assert applied_doctor.verified_at is not None
    assert applied_doctor.user.groups.filter(name=roles.DOCTORS).exists()
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target, event.reason) == (
        "verify_doctor",
        moderator,
        applied_doctor,
        "Register checked",
    )
    assert mail.outbox[0].to == ["applicant@example.org"]
    assert "verified" in mail.outbox[0].body


def test_rejecting_an_application_needs_a_reason_and_tells_the_applicant(
    applied_doctor, moderator, django_capture_on_commit_callbacks
):
    with pytest.raises(ActionNotAllowed):
        reject_doctor(doctor=applied_doctor, moderator=moderator, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        reject_doctor(doctor=applied_doctor, moderator=moderator, reason="Licence not found")
        reject_doctor(doctor=applied_doctor, moderator=moderator, reason="Licence not found")
    applied_doctor.refresh_from_db()
    assert applied_doctor.status == DoctorProfile.Status.REJECTED
    assert applied_doctor.status_reason == "Licence not found"
    assert ModerationEvent.objects.get().action == "reject_doctor"
    assert "Licence not found" in mail.outbox[0].body


def test_suspending_removes_the_group_and_claims_and_restoring_gives_them_back(
    doctor, moderator, question
):
    claim_question(question=question, doctor=doctor)
    suspend_doctor(doctor=doctor, moderator=moderator, reason="Complaint under review")
    suspend_doctor(doctor=doctor, moderator=moderator, reason="Complaint under review")
    doctor.refresh_from_db()
    assert doctor.status == DoctorProfile.Status.SUSPENDED
    assert not doctor.user.groups.filter(name=roles.DOCTORS).exists()
    assert not QuestionClaim.objects.exists()
    restore_doctor(doctor=doctor, moderator=moderator, reason="Complaint closed")
    doctor.refresh_from_db()
    assert doctor.status == DoctorProfile.Status.VERIFIED
    assert doctor.user.groups.filter(name=roles.DOCTORS).exists()
    assert list(ModerationEvent.objects.order_by("id").values_list("action", "reason")) == [
        ("suspend_doctor", "Complaint under review"),
        ("restore_doctor", "Complaint closed"),
    ]


def test_doctor_decisions_in_the_wrong_state_are_refused_without_an_event(
    doctor, applied_doctor, moderator
):
    with pytest.raises(ActionNotAllowed):
        suspend_doctor(doctor=applied_doctor, moderator=moderator, reason="Not verified yet")
    with pytest.raises(ActionNotAllowed):
        restore_doctor(doctor=applied_doctor, moderator=moderator)
    with pytest.raises(ActionNotAllowed):
        reject_doctor(doctor=doctor, moderator=moderator, reason="Already verified")
    assert not ModerationEvent.objects.exists()


def test_redact_and_approve_logs_the_edit_and_the_approval(moderator, patient):
    pending = PendingQuestionFactory(
        author=patient,
        title="Headache, call me on 0912 345 678",
        body="My name is Chen Mei and my head hurts.",
    )
    redact_and_approve_question(
        question=pending,
        moderator=moderator,
        title="Headache every morning",
        body="My head hurts.",
        reason="Removed a phone number and a name",
    )
    pending.refresh_from_db()
    assert pending.status == Question.Status.PUBLISHED
    assert (pending.title, pending.body) == ("Headache every morning", "My head hurts.")
    assert "0912" not in pending.slug
    assert list(ModerationEvent.objects.order_by("id").values_list("action", "reason")) == [
        ("edit_question", "Removed a phone number and a name"),
        ("approve_question", ""),
    ]


def test_redact_and_approve_twice_changes_nothing_the_second_time(moderator):
    pending = PendingQuestionFactory(title="My title with a name")
    for _ in range(2):
        redact_and_approve_question(
            question=pending, moderator=moderator, title="My title", body=pending.body
        )
    assert ModerationEvent.objects.count() == 2


def test_unchanged_text_is_approved_without_an_edit_event(moderator):
    pending = PendingQuestionFactory()
    redact_and_approve_question(
        question=pending, moderator=moderator, title=pending.title, body=pending.body
    )
    assert list(ModerationEvent.objects.values_list("action", flat=True)) == ["approve_question"]


def test_nothing_is_approved_without_an_event(monkeypatch, moderator):
    def audit_log_down(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("questions.actions.log_moderation_event", audit_log_down)
    monkeypatch.setattr("answers.actions.moderation.doctors.log_moderation_event", audit_log_down)
    pending = PendingQuestionFactory()
    applicant = _apply(UserFactory())
    with pytest.raises(RuntimeError):
        approve_question(question=pending, moderator=moderator)
    with pytest.raises(RuntimeError):
        verify_doctor(doctor=applicant, moderator=moderator)
    assert Question.objects.get(pk=pending.pk).status == Question.Status.PENDING
    applicant.refresh_from_db()
    assert applicant.status == DoctorProfile.Status.APPLIED
    assert not applicant.user.groups.filter(name=roles.DOCTORS).exists()


def test_suspending_a_doctor_invalidates_every_page_showing_their_replies(doctor, moderator):
    from answers.tests.factories import ReplyFactory
    from questions.tests.changes import assert_pages_invalidated

    reply = ReplyFactory(doctor=doctor)
    # Their replies' pages and other pages' Similar Q&A would keep a dead doctor link.
    with assert_pages_invalidated(question_ids=[reply.question_id], all_pages=True):
        suspend_doctor(doctor=doctor, moderator=moderator, reason="Licence lapsed")


def test_restoring_a_doctor_invalidates_every_page_showing_their_replies(
    suspended_doctor, moderator
):
    from answers.tests.factories import ReplyFactory
    from questions.tests.changes import assert_pages_invalidated

    reply = ReplyFactory(doctor=suspended_doctor)
    with assert_pages_invalidated(question_ids=[reply.question_id], all_pages=True):
        restore_doctor(doctor=suspended_doctor, moderator=moderator, reason="Licence renewed")
