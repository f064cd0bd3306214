from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from answers.actions import (
    ActionNotAllowed,
    approve_reply,
    claim_question,
    edit_reply,
    hide_reply,
    restore_reply,
    return_reply,
    submit_reply,
)
from answers.models import QuestionClaim, Reply
from answers.tests.factories import ReplyFactory
from forum.models import ModerationEvent
from questions import cache as qa_cache
from questions.models import Question
from questions.tests.changes import (
    assert_pages_invalidated,
    assert_search_refreshed,
    assert_similar_marked_stale,
)
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

BODY = "A morning headache often comes from poor sleep; please see your doctor if it persists."


def test_new_doctors_first_replies_are_held_then_publish_at_once(
    settings, doctor, moderator, specialty
):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 2
    questions = QuestionFactory.create_batch(3, specialty=specialty)
    first = submit_reply(question=questions[0], doctor=doctor, body=BODY)
    second = submit_reply(question=questions[1], doctor=doctor, body=BODY)
    assert (first.status, second.status) == (Reply.Status.HELD, Reply.Status.HELD)
    assert Question.objects.get(pk=questions[0].pk).answered_at is None
    approve_reply(reply=first, moderator=moderator)
    # One approved reply is not yet enough.
    assert submit_reply(question=questions[2], doctor=doctor, body=BODY).status == "held"
    approve_reply(reply=second, moderator=moderator)
    later = QuestionFactory(specialty=specialty)
    assert submit_reply(question=later, doctor=doctor, body=BODY).status == "published"


def test_held_period_of_zero_publishes_the_first_reply(trusted, doctor, question):
    reply = submit_reply(question=question, doctor=doctor, body=BODY)
    assert reply.status == Reply.Status.PUBLISHED
    assert reply.published_at is not None


def test_sent_back_replies_do_not_count_towards_trust(settings, doctor, moderator, specialty):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 1
    reply = submit_reply(question=QuestionFactory(specialty=specialty), doctor=doctor, body=BODY)
    return_reply(reply=reply, moderator=moderator, reason="Too short")
    again = submit_reply(question=QuestionFactory(specialty=specialty), doctor=doctor, body=BODY)
    assert again.status == Reply.Status.HELD


def test_publishing_sets_answered_at_emails_patient_and_invalidates_pages(
    trusted, doctor, question, django_capture_on_commit_callbacks
):
    # Its own page and (first reply) every other page's Similar Q&A render afresh; search
    # finds the reply and the lists that may rank the question are ranked anew.
    with (
        assert_pages_invalidated(question_ids=[question.pk, question.pk + 1000], all_pages=True),
        assert_search_refreshed([question.pk]),
        assert_similar_marked_stale([question.pk]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reply = submit_reply(question=question, doctor=doctor, body=BODY)
    question.refresh_from_db()
    assert question.answered_at == reply.published_at
    assert [m.to for m in mail.outbox] == [["patient@example.org"]]
    assert question.get_absolute_url() in mail.outbox[0].body


def test_held_reply_emails_nobody_until_approved_and_then_once(
    doctor, moderator, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = submit_reply(question=question, doctor=doctor, body=BODY)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        approve_reply(reply=reply, moderator=moderator)
        approve_reply(reply=reply, moderator=moderator)
    assert len(mail.outbox) == 1
    # Hiding and restoring it does not e-mail the patient again.
    with django_capture_on_commit_callbacks(execute=True):
        hide_reply(reply=reply, moderator=moderator, reason="Checking a dose")
        restore_reply(reply=reply, moderator=moderator, reason="Dose is right")
    assert [m.to for m in mail.outbox].count(["patient@example.org"]) == 1


def test_submitting_twice_keeps_one_reply(trusted, doctor, question):
    first = submit_reply(question=question, doctor=doctor, body=BODY)
    second = submit_reply(question=question, doctor=doctor, body=BODY + " Again.")
    assert first.pk == second.pk
    assert Reply.objects.count() == 1


def test_submit_reply_refuses_a_question_that_is_no_longer_published(doctor, specialty):
    pending = PendingQuestionFactory(specialty=specialty)
    with pytest.raises(ActionNotAllowed):
        submit_reply(question=pending, doctor=doctor, body=BODY)
    assert not Reply.objects.exists()


def test_two_doctors_publishing_leave_one_answered_at_and_both_replies(
    trusted, doctor, other_doctor, question
):
    # Doctor B loaded the question before doctor A published: a stale, unanswered copy.
    stale = Question.objects.get(pk=question.pk)
    first = submit_reply(question=question, doctor=doctor, body=BODY)
    second = submit_reply(question=stale, doctor=other_doctor, body=BODY)
    question.refresh_from_db()
    assert question.answered_at == first.published_at
    assert (first.status, second.status) == (Reply.Status.PUBLISHED, Reply.Status.PUBLISHED)
    assert set(Reply.objects.published().values_list("pk", flat=True)) == {first.pk, second.pk}


def test_submitting_releases_the_doctors_claim(trusted, doctor, question):
    claim_question(question=question, doctor=doctor)
    submit_reply(question=question, doctor=doctor, body=BODY)
    assert not QuestionClaim.objects.exists()


def test_claim_lasts_claim_minutes_and_others_see_it(settings, doctor, other_doctor, question):
    settings.CLAIM_MINUTES = 15
    claim = claim_question(question=question, doctor=doctor)
    assert claim.doctor == doctor
    remaining = claim.expires_at - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
    # Another doctor starting to answer does not take the claim over.
    assert claim_question(question=question, doctor=other_doctor).doctor == doctor
    assert QuestionClaim.objects.get().doctor == doctor


def test_expired_claim_goes_to_the_next_doctor(doctor, other_doctor, question):
    claim = claim_question(question=question, doctor=doctor)
    QuestionClaim.objects.filter(pk=claim.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert not QuestionClaim.objects.active().exists()
    taken = claim_question(question=question, doctor=other_doctor)
    assert taken.doctor == other_doctor
    assert taken.is_active
    assert QuestionClaim.objects.count() == 1


def test_reopening_extends_the_doctors_own_claim(doctor, question):
    claim = claim_question(question=question, doctor=doctor)
    QuestionClaim.objects.filter(pk=claim.pk).update(
        expires_at=timezone.now() + timedelta(minutes=1)
    )
    again = claim_question(question=question, doctor=doctor)
    assert again.expires_at - timezone.now() > timedelta(minutes=14)


def test_claims_are_off_with_zero_minutes(settings, doctor, question):
    settings.CLAIM_MINUTES = 0
    assert claim_question(question=question, doctor=doctor) is None
    assert not QuestionClaim.objects.exists()


def test_editing_a_published_reply_keeps_the_earlier_text_and_marks_it_edited(doctor):
    reply = ReplyFactory(doctor=doctor, body="First text of the reply.")
    page_key = qa_cache.page_cache_key(reply.question_id)
    edit_reply(reply=reply, doctor=doctor, body="Second text of the reply.")
    edit_reply(reply=reply, doctor=doctor, body="Third text of the reply.")
    reply.refresh_from_db()
    assert reply.body == "Third text of the reply."
    assert reply.edited_at is not None
    assert list(reply.versions.values_list("body", flat=True)) == [
        "Second text of the reply.",
        "First text of the reply.",
    ]
    assert qa_cache.page_cache_key(reply.question_id) != page_key


def test_saving_an_unchanged_reply_adds_no_version(doctor):
    reply = ReplyFactory(doctor=doctor)
    edit_reply(reply=reply, doctor=doctor, body=reply.body)
    reply.refresh_from_db()
    assert reply.edited_at is None
    assert not reply.versions.exists()


def test_editing_a_held_reply_does_not_mark_it_edited(doctor, question):
    reply = submit_reply(question=question, doctor=doctor, body=BODY)
    edit_reply(reply=reply, doctor=doctor, body=BODY + " Drink enough water.")
    reply.refresh_from_db()
    assert reply.status == Reply.Status.HELD
    assert reply.edited_at is None
    assert reply.versions.count() == 1


def test_editing_a_sent_back_reply_resubmits_it(doctor, moderator, question):
    reply = submit_reply(question=question, doctor=doctor, body=BODY)
    return_reply(reply=reply, moderator=moderator, reason="Mention warning signs")
    edit_reply(reply=reply, doctor=doctor, body=BODY + " Sudden weakness needs a doctor now.")
    reply.refresh_from_db()
    assert (reply.status, reply.moderation_reason) == (Reply.Status.HELD, "")


def test_doctor_can_never_edit_another_doctors_reply(doctor, other_doctor):
    reply = ReplyFactory(doctor=other_doctor, body="The other doctor's words.")
    with pytest.raises(PermissionDenied):
        edit_reply(reply=reply, doctor=doctor, body="Words put in their mouth.")
    reply.refresh_from_db()
    assert reply.body == "The other doctor's words."


def test_suspended_doctor_cannot_edit_their_reply(suspended_doctor):
    reply = ReplyFactory(doctor=suspended_doctor, body="Old words.")
    with pytest.raises(PermissionDenied):
        edit_reply(reply=reply, doctor=suspended_doctor, body="New words after suspension.")


def test_hiding_the_only_reply_makes_the_question_unanswered_again(moderator, question):
    reply = ReplyFactory(question=question)
    hide_reply(reply=reply, moderator=moderator, reason="Wrong advice")
    question.refresh_from_db()
    assert question.answered_at is None
    restore_reply(reply=reply, moderator=moderator, reason="Corrected")
    question.refresh_from_db()
    assert question.answered_at == reply.published_at


def test_hiding_one_of_two_replies_keeps_the_question_answered(moderator, question):
    first = ReplyFactory(question=question)
    second = ReplyFactory(question=question, published_at=first.published_at + timedelta(hours=1))
    hide_reply(reply=first, moderator=moderator, reason="Duplicate")
    question.refresh_from_db()
    assert question.answered_at == second.published_at


@pytest.mark.parametrize(
    "act,start,action",
    [
        (approve_reply, Reply.Status.HELD, "approve_reply"),
        (return_reply, Reply.Status.HELD, "return_reply"),
        (hide_reply, Reply.Status.PUBLISHED, "hide_reply"),
        (restore_reply, Reply.Status.HIDDEN, "restore_reply"),
    ],
)
def test_each_reply_decision_writes_one_event_and_repeating_it_changes_nothing(
    moderator, act, start, action, django_capture_on_commit_callbacks
):
    reply = ReplyFactory(status=start)
    if start == Reply.Status.HELD:
        Reply.objects.filter(pk=reply.pk).update(published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        act(reply=reply, moderator=moderator, reason="Because")
        act(reply=reply, moderator=moderator, reason="Because")
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target, event.reason) == (
        action,
        moderator,
        Reply.objects.get(pk=reply.pk),
        "Because",
    )


@pytest.mark.parametrize("act", [return_reply, hide_reply, restore_reply])
def test_reply_decisions_that_need_a_reason_refuse_without_one(moderator, act):
    reply = ReplyFactory()
    with pytest.raises(ActionNotAllowed):
        act(reply=reply, moderator=moderator, reason="   ")
    assert not ModerationEvent.objects.exists()


def test_wrong_state_is_refused_without_an_event(moderator):
    published = ReplyFactory()
    with pytest.raises(ActionNotAllowed):
        return_reply(reply=published, moderator=moderator, reason="Too late")
    held = ReplyFactory(status=Reply.Status.HELD, published_at=None)
    with pytest.raises(ActionNotAllowed):
        hide_reply(reply=held, moderator=moderator, reason="Not public yet")
    returned = ReplyFactory(status=Reply.Status.HIDDEN, published_at=None)
    with pytest.raises(ActionNotAllowed):
        restore_reply(reply=returned, moderator=moderator, reason="Never published")
    with pytest.raises(ActionNotAllowed):
        approve_reply(reply=returned, moderator=moderator)
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "act,start",
    [
        (approve_reply, Reply.Status.HELD),
        (hide_reply, Reply.Status.PUBLISHED),
        (restore_reply, Reply.Status.HIDDEN),
    ],
)
def test_nothing_is_approved_hidden_or_restored_without_an_event(
    monkeypatch, moderator, act, start
):
    def audit_log_down(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("answers.actions.moderation.replies.log_moderation_event", audit_log_down)
    reply = ReplyFactory(status=start, published_at=None if start == "held" else timezone.now())
    with pytest.raises(RuntimeError):
        act(reply=reply, moderator=moderator, reason="Because")
    assert Reply.objects.get(pk=reply.pk).status == start
