"""manage.py purge_expired: each retention period deletes what it names, and nothing else;
the audit log keeps who did what and when, without the words."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.actions import log_moderation_event
from forum.i18n import url_in_language
from forum.models import DoctorProfile, ModerationEvent, OutgoingEmail, User
from forum.tests.factories import DoctorProfileFactory, UserFactory
from questions.models import Question
from questions.tests.changes import assert_pages_invalidated
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def age(model, obj, field: str, days: float) -> None:
    model.objects.filter(pk=obj.pk).update(**{field: timezone.now() - timedelta(days=days)})


@pytest.fixture
def rejected_long_ago(moderator, specialty):
    question = QuestionFactory(
        specialty=specialty,
        status=Question.Status.REJECTED,
        title="My ID is A123456789, is my rash serious?",
        rejection_reason="Contains the ID A123456789",
    )
    log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.REJECT_QUESTION,
        target=question,
        reason=question.rejection_reason,
    )
    age(Question, question, "updated_at", 91)
    return question


def test_dry_run_counts_and_deletes_nothing(rejected_long_ago, settings):
    out = purge("--dry-run")
    assert "Would delete 1 rejected or removed questions (older than 90 days)" in out
    assert Question.objects.filter(pk=rejected_long_ago.pk).exists()


def test_rejected_question_goes_after_its_period_and_the_log_keeps_only_who_what_when(
    rejected_long_ago, moderator
):
    event = ModerationEvent.objects.get(target_id=rejected_long_ago.pk)

    out = purge()

    assert "Deleted 1 rejected or removed questions" in out
    assert not Question.objects.filter(pk=rejected_long_ago.pk).exists()
    event.refresh_from_db()
    assert (event.actor, event.action, event.target_id) == (
        moderator,
        ModerationEvent.Action.REJECT_QUESTION,
        rejected_long_ago.pk,
    )
    assert event.created_at is not None
    assert event.reason == ""
    assert "A123456789" not in event.target_repr
    assert event.target_repr == f"question {rejected_long_ago.pk} (deleted)"


def test_recent_rejections_and_published_or_pending_questions_stay(specialty, settings):
    recent = QuestionFactory(specialty=specialty, status=Question.Status.REJECTED)
    age(Question, recent, "updated_at", 89)
    published = QuestionFactory(specialty=specialty)
    pending = QuestionFactory(specialty=specialty, status=Question.Status.PENDING)
    for question in (published, pending):
        age(Question, question, "updated_at", 400)

    assert "Deleted 0 rejected or removed questions" in purge()
    assert Question.objects.filter(pk__in=[recent.pk, published.pk, pending.pk]).count() == 3


def test_the_period_is_a_setting(specialty, settings):
    settings.RETENTION_CLOSED_QUESTION_DAYS = 10
    question = QuestionFactory(specialty=specialty, status=Question.Status.REJECTED)
    age(Question, question, "updated_at", 11)
    assert "Deleted 1 rejected or removed questions (older than 10 days)" in purge()


def test_a_removed_question_goes_with_its_replies_and_its_page_is_refreshed(specialty, doctor):
    question = QuestionFactory(specialty=specialty)
    ReplyFactory(question=question, doctor=doctor)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.REMOVED)
    age(Question, question, "updated_at", 120)

    with assert_pages_invalidated(question_ids=[question.pk], all_pages=True):
        purge()

    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Reply.objects.filter(question_id=question.pk).exists()
    assert DoctorProfile.objects.filter(pk=doctor.pk).exists()


def test_unverified_sign_ups_go_after_their_period_verified_and_staff_accounts_stay(db):
    stale = UserFactory(verified_email=False)
    fresh = UserFactory(verified_email=False)
    verified = UserFactory()
    logged_in = UserFactory(verified_email=False)
    staff = UserFactory(verified_email=False, is_staff=True)
    doctor_user = DoctorProfileFactory().user
    for user in (stale, verified, logged_in, staff, doctor_user):
        age(User, user, "date_joined", 31)
    age(User, fresh, "date_joined", 29)
    User.objects.filter(pk=logged_in.pk).update(last_login=timezone.now())
    doctor_user.emailaddress_set.update(verified=False)

    assert "Deleted 1 sign-ups never verified (older than 30 days)" in purge()
    assert not User.objects.filter(pk=stale.pk).exists()
    assert (
        User.objects.filter(
            pk__in=[fresh.pk, verified.pk, logged_in.pk, staff.pk, doctor_user.pk]
        ).count()
        == 5
    )


def test_expired_claims_go_active_ones_stay(specialty, doctor):
    from answers.models import QuestionClaim

    old = QuestionClaim.objects.create(
        question=QuestionFactory(specialty=specialty),
        doctor=doctor,
        expires_at=timezone.now() - timedelta(days=8),
    )
    active = QuestionClaim.objects.create(
        question=QuestionFactory(specialty=specialty),
        doctor=doctor,
        expires_at=timezone.now() + timedelta(minutes=10),
    )

    assert "Deleted 1 expired claims (older than 7 days)" in purge()
    assert list(QuestionClaim.objects.values_list("pk", flat=True)) == [active.pk]
    assert old.pk not in QuestionClaim.objects.values_list("pk", flat=True)


def test_a_second_run_finds_nothing_more(rejected_long_ago):
    purge()
    out = purge()
    assert "Deleted 0 rejected or removed questions" in out
    assert "Deleted 0 expired claims" in out
    assert "Deleted 0 sign-ups never verified" in out


def test_old_outbox_e_mails_go_after_their_periods_pending_ones_never(patient, settings):
    settings.RETENTION_SENT_EMAIL_DAYS = 30
    settings.RETENTION_FAILED_EMAIL_DAYS = 90
    Status = OutgoingEmail.Status

    def email(status: str, days: float) -> OutgoingEmail:
        message = OutgoingEmail.objects.create(
            recipient=patient,
            to=patient.email,
            from_email="forum@example.org",
            subject=f"{status} {days}",
            body="About your question.",
            kind="emails/question_answered",
            status=status,
        )
        age(OutgoingEmail, message, "created_at", days)
        return message

    kept = [
        email(Status.SENT, 29),
        email(Status.CANCELLED, 29),
        email(Status.FAILED, 89),
        email(Status.PENDING, 400),
    ]
    gone = [email(Status.SENT, 31), email(Status.CANCELLED, 31), email(Status.FAILED, 91)]

    assert "Would delete 3 e-mails sent (older than 30 days)" in purge("--dry-run")
    assert OutgoingEmail.objects.count() == 7
    assert "Deleted 3 e-mails sent (older than 30 days)" in purge()
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {m.pk for m in kept}
    assert not OutgoingEmail.objects.filter(pk__in=[m.pk for m in gone]).exists()
    assert "Deleted 0 e-mails sent" in purge()


def test_the_privacy_notice_states_the_outbox_periods(client, settings):
    settings.RETENTION_SENT_EMAIL_DAYS = 21
    settings.RETENTION_FAILED_EMAIL_DAYS = 60
    page = client.get(reverse("forum:privacy")).content.decode()
    assert "our copy is deleted 21 days after it was sent, or 60 days after" in page
    chinese = client.get(url_in_language(reverse("forum:privacy"), "zh-hant")).content.decode()
    assert "寄出後 21 天刪除；無法寄達者於 60 天後刪除" in chinese
