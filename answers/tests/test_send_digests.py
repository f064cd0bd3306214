from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from answers.models import DigestDelivery
from answers.tests.factories import ReplyFactory
from forum.mail import requeue_stalled
from forum.models import DoctorProfile, OutgoingEmail
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _send(*args) -> str:
    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def digest_doctor(doctor):
    DoctorProfile.objects.filter(pk=doctor.pk).update(wants_digest=True)
    doctor.refresh_from_db()
    return doctor


def _waiting(hours: float, **kwargs):
    question = PendingQuestionFactory(**kwargs)
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )
    return question


def test_doctor_digest_sends_new_unanswered_questions_once(
    digest_doctor, specialty, django_capture_on_commit_callbacks
):
    new = QuestionFactory(specialty=specialty, title="New question for the digest")
    ReplyFactory(question__specialty=specialty, question__title="Already answered")
    QuestionFactory(title="Another specialty")
    QuestionFactory(
        specialty=specialty,
        title="Too old to be new",
        published_at=timezone.now() - timedelta(days=30),
    )
    DoctorProfileFactory(specialties=[specialty])  # did not ask for a digest
    with django_capture_on_commit_callbacks(execute=True):
        output = _send()
    assert "Sent 1 doctor digest(s) (1 question(s))" in output
    assert [m.to for m in mail.outbox] == [[digest_doctor.user.email]]
    body = mail.outbox[0].body
    assert "New question for the digest" in body
    assert f"/doctor/questions/{new.pk}/reply/" in body
    assert "Already answered" not in body
    assert "Another specialty" not in body
    assert "Too old to be new" not in body
    with django_capture_on_commit_callbacks(execute=True):
        output = _send()
    assert "Sent 0 doctor digest(s)" in output
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().question == new


def test_doctor_digest_sends_only_questions_not_sent_before(
    digest_doctor, specialty, django_capture_on_commit_callbacks
):
    QuestionFactory(specialty=specialty, title="First batch")
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    QuestionFactory(specialty=specialty, title="Second batch")
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    assert len(mail.outbox) == 2
    assert "First batch" not in mail.outbox[1].body
    assert "Second batch" in mail.outbox[1].body


def test_suspended_or_opted_out_doctors_get_no_digest(specialty, suspended_doctor):
    DoctorProfile.objects.filter(pk=suspended_doctor.pk).update(wants_digest=True)
    QuestionFactory(specialty=specialty)
    _send()
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_dry_run_sends_and_records_nothing(digest_doctor, moderator, specialty):
    QuestionFactory(specialty=specialty)
    _waiting(3)
    output = _send("--dry-run")
    assert "Would send 1 doctor digest(s) (1 question(s)), 1 moderation alert(s)" in output
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_moderators_are_alerted_once_about_questions_waiting_too_long(
    moderator, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_ALERT_HOURS = 2
    late = _waiting(3, title="Waiting three hours", is_urgent=True)
    _waiting(1, title="Waiting one hour")
    with django_capture_on_commit_callbacks(execute=True):
        output = _send()
        _send()
    assert "1 moderation alert(s) (1 question(s))" in output
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    body = mail.outbox[0].body
    assert f"[URGENT] question #{late.pk}" in body
    assert "more than 2 hours" in body
    # Patients' pending text may hold personal data: it stays out of e-mail.
    assert "Waiting three hours" not in body
    assert DigestDelivery.objects.get().kind == DigestDelivery.Kind.MODERATOR


def test_failed_digest_stays_in_the_outbox_until_the_mail_server_is_back(
    digest_doctor, specialty, settings, django_capture_on_commit_callbacks
):
    QuestionFactory(specialty=specialty, title="Must not be lost")
    locmem = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "forum.tests.mail_backends.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    (kept,) = OutgoingEmail.objects.all()
    assert kept.status == OutgoingEmail.Status.PENDING
    assert DigestDelivery.objects.count() == 1
    settings.EMAIL_BACKEND = locmem
    # The next run does not send the question again: the queued digest holds it.
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    assert mail.outbox == []
    OutgoingEmail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled() == 1
    (message,) = mail.outbox
    assert "Must not be lost" in message.body


def test_digest_question_in_two_specialties_is_sent_to_each_doctor_once(
    specialty, django_capture_on_commit_callbacks
):
    cardio = SpecialtyFactory(slug="cardiology", name="Cardiology")
    first = DoctorProfileFactory(specialties=[specialty, cardio], wants_digest=True)
    second = DoctorProfileFactory(specialties=[cardio], wants_digest=True)
    QuestionFactory(specialty=cardio)
    with django_capture_on_commit_callbacks(execute=True):
        _send()
        _send()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
