"""Answer-time targets: send_answer_reminders sends questions waiting past
ANSWER_REMINDER_HOURS to the doctors of their specialty (at once, or in the digest for
those who take it) and past ANSWER_ESCALATION_HOURS to the moderators, each once; the
asker sees the expected wait and, when it is past, what else to do."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from answers.models import AnswerReminder, DigestDelivery, QuestionClaim
from answers.tests.factories import ReplyFactory
from forum.i18n import url_in_language
from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db
_capture = None


@pytest.fixture(autouse=True)
def _send_mail_on_commit(django_capture_on_commit_callbacks):
    """The outbox sends after commit: run those callbacks as each command ends."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def _remind(*args) -> str:
    out = StringIO()
    with _capture(execute=True):
        call_command("send_answer_reminders", *args, stdout=out)
    return out.getvalue()


def _digests() -> None:
    with _capture(execute=True):
        call_command("send_digests", stdout=StringIO())


def _published(hours: float, **kwargs):
    return QuestionFactory(published_at=timezone.now() - timedelta(hours=hours), **kwargs)


@pytest.fixture
def targets(settings):
    settings.ANSWER_REMINDER_HOURS = 24
    settings.ANSWER_ESCALATION_HOURS = 48
    return settings


def test_doctors_get_a_question_past_the_target_once(targets, doctor, specialty):
    late = _published(25, specialty=specialty, title="Waiting past the target")
    _published(2, specialty=specialty, title="Still within the target")
    ReplyFactory(question=_published(30, specialty=specialty, title="Answered already"))
    _published(30, title="Another specialty")
    output = _remind()
    assert "Sent 1 doctor reminder(s) (1 question(s)" in output
    (sent,) = mail.outbox
    assert sent.to == [doctor.user.email]
    assert "Waiting past the target" in sent.body
    assert f"/doctor/questions/{late.pk}/reply/" in sent.body
    assert "Still within the target" not in sent.body
    assert "Answered already" not in sent.body
    assert "List-Unsubscribe" in sent.extra_headers
    # Reminded once each, whether or not a doctor practises its specialty.
    assert AnswerReminder.objects.filter(question=late, kind="doctors").count() == 1
    # Idempotent: a second run sends nothing and records nothing more.
    mail.outbox.clear()
    assert "Sent 0 doctor reminder(s)" in _remind()
    assert mail.outbox == []
    assert AnswerReminder.objects.count() == 2


def test_a_new_doctor_of_the_specialty_gets_questions_already_reminded(targets, doctor, specialty):
    _published(25, specialty=specialty)
    _remind()
    newcomer = DoctorProfileFactory(specialties=[specialty])
    mail.outbox.clear()
    _remind()
    assert [m.to for m in mail.outbox] == [[newcomer.user.email]]


def test_digest_doctors_get_the_reminder_in_their_digest_not_at_once(targets, doctor, specialty):
    DoctorProfile.objects.filter(pk=doctor.pk).update(wants_digest=True)
    late = _published(25, specialty=specialty, title="Overdue for the digest")
    _remind()
    assert mail.outbox == []
    _digests()
    (digest,) = mail.outbox
    assert "has waited longer than usual for an answer" in digest.body
    assert "Overdue for the digest" in digest.body
    assert digest.body.count("Overdue for the digest") == 1  # not listed as new too
    assert set(DigestDelivery.objects.filter(question=late).values_list("kind", flat=True)) == {
        "doctor",
        "reminder",
    }
    mail.outbox.clear()
    _digests()
    _remind()
    assert mail.outbox == []


def test_doctors_who_turned_reminders_off_get_none(targets, doctor, specialty):
    type(doctor.user).objects.filter(pk=doctor.user.pk).update(email_answer_reminders=False)
    _published(25, specialty=specialty)
    _remind()
    assert mail.outbox == []
    assert AnswerReminder.objects.count() == 1  # the question was still reminded once


def test_a_claimed_question_waits_for_a_later_run(targets, doctor, specialty):
    question = _published(25, specialty=specialty)
    QuestionClaim.objects.create(
        question=question, doctor=doctor, expires_at=timezone.now() + timedelta(hours=10)
    )
    _remind()
    assert mail.outbox == [] and not AnswerReminder.objects.exists()
    QuestionClaim.objects.all().delete()
    _remind()
    assert len(mail.outbox) == 1


def test_moderators_get_questions_past_the_second_threshold_once(
    targets, doctor, specialty, moderator
):
    _published(30, specialty=specialty, title="Only for doctors")
    very_late = _published(50, specialty=specialty, title="Past the escalation")
    _remind()
    to_moderator = [m for m in mail.outbox if m.to == [moderator.email]]
    (alert,) = to_moderator
    assert f"question #{very_late.pk}" in alert.body
    assert "Only for doctors" not in alert.body
    assert set(AnswerReminder.objects.values_list("kind", flat=True)) == {"doctors", "moderators"}
    mail.outbox.clear()
    _remind()
    assert mail.outbox == []


def test_moderators_who_turned_alerts_off_get_none(targets, specialty, moderator):
    type(moderator).objects.filter(pk=moderator.pk).update(email_moderation_alerts=False)
    _published(50, specialty=specialty)
    _remind()
    assert mail.outbox == []


def test_dry_run_sends_and_records_nothing(targets, doctor, specialty, moderator):
    _published(50, specialty=specialty)
    output = _remind("--dry-run")
    assert "Would send" in output
    assert "1 newly past the reminder time" in output
    assert mail.outbox == [] and not AnswerReminder.objects.exists()


# --- What the asker sees ------------------------------------------------------------


def test_my_questions_shows_the_expected_wait_then_what_else_to_do(
    client, targets, patient, specialty
):
    QuestionFactory(author=patient, specialty=specialty)
    sign_in(client, patient)
    html = client.get(reverse("questions:mine")).content.decode()
    assert "Doctors usually answer within 24 hours." in html
    assert "waited longer than usual" not in html
    _published(25, author=patient, specialty=specialty)
    html = client.get(reverse("questions:mine")).content.decode()
    assert "Your question has waited longer than usual for a doctor." in html
    assert "call 119" in html
    assert "call the 1925 line" in html
    assert "Call a clinic or your family doctor" in html


def test_the_question_page_tells_only_its_asker(client, targets, patient, specialty):
    question = _published(25, author=patient, specialty=specialty)
    assert (
        "waited longer than usual" not in client.get(question.get_absolute_url()).content.decode()
    )
    sign_in(client, patient)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Your question has waited longer than usual for a doctor." in html
    assert reverse("answers:report", kwargs={"kind": "question", "pk": question.pk}) in html
    fresh = QuestionFactory(author=patient, specialty=specialty)
    html = client.get(fresh.get_absolute_url()).content.decode()
    assert "Doctors usually answer within 24 hours." in html
    ReplyFactory(question=fresh)
    assert "Doctors usually answer" not in client.get(fresh.get_absolute_url()).content.decode()


def test_the_overdue_notice_reads_in_chinese(client, targets, patient, specialty):
    question = _published(25, author=patient, specialty=specialty)
    sign_in(client, patient)
    with translation.override("zh-hant"):
        html = client.get(url_in_language(question.get_absolute_url(), "zh-hant")).content.decode()
    assert "您的問題等候醫師回覆的時間已比平常久" in html
    assert "1925" in html
    assert "Your question has waited longer than usual" not in html


def test_other_specialty_doctors_are_not_reminded(targets, doctor):
    _published(25, specialty=SpecialtyFactory())
    _remind()
    assert mail.outbox == []
