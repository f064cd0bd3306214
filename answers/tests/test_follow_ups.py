"""Follow-ups (issue 19): the asker's follow-up under a reply, its screening and
moderation, trusted askers, the doctor's answer through reply moderation, e-mails, the
audit log and what each write invalidates."""

import pytest
from django.core import mail

from answers.actions.errors import ActionNotAllowed
from answers.actions.follow_ups import (
    FollowUpLimitReached,
    answer_follow_up,
    approve_follow_up,
    approved_posts,
    is_trusted_asker,
    reject_follow_up,
    submit_follow_up,
)
from answers.actions.moderation.replies import approve_reply, hide_reply, return_reply
from answers.models import Reply
from answers.tests.factories import FollowUpFactory, ReplyFactory
from forum import mail as outbox
from forum.models import ModerationEvent
from questions.actions import PersonalDataFound, withdraw_question
from questions.models import FollowUp, Question, SearchDocument
from questions.tests.changes import (
    assert_pages_invalidated,
    assert_search_not_refreshed,
)
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

TEXT = "Thank you, doctor. The headache comes back every evening: should I double the dose?"
Action = ModerationEvent.Action


@pytest.fixture
def reply(question, doctor):
    """Dr. Lin's published reply to the patient's question (now answered)."""
    return ReplyFactory(question=question, doctor=doctor)


@pytest.fixture
def moderated(settings):
    """Every follow-up waits for a moderator; doctors' answers publish at once."""
    settings.TRUSTED_ASKER_APPROVED_POSTS = 0
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    return settings


def _events(action):
    return list(ModerationEvent.objects.filter(action=action))


# --- Submitting ------------------------------------------------------------------------


def test_a_follow_up_is_pending_under_its_reply_and_tells_nobody_yet(
    patient, reply, moderated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = submit_follow_up(author=patient, reply=reply, body=f"  {TEXT}  ")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.body) == (FollowUp.Status.PENDING, TEXT)
    assert (follow_up.question_id, follow_up.reply_id) == (reply.question_id, reply.pk)
    assert follow_up.published_at is None
    assert mail.outbox == []


def test_personal_data_blocks_a_follow_up(patient, reply, moderated):
    with pytest.raises(PersonalDataFound) as found:
        submit_follow_up(author=patient, reply=reply, body=f"{TEXT} Call me on 0912-345-678.")
    assert found.value.result.personal_data
    assert not FollowUp.objects.exists()


def test_red_flags_mark_a_follow_up_urgent_and_keep_it_for_a_moderator_even_when_trusted(
    patient, reply, settings
):
    settings.TRUSTED_ASKER_APPROVED_POSTS = 1  # the published question is enough
    assert is_trusted_asker(patient)
    follow_up = submit_follow_up(
        author=patient, reply=reply, body="Since last night I have crushing chest pain again."
    )
    assert follow_up.is_urgent
    assert follow_up.status == FollowUp.Status.PENDING
    assert "chest_pain" in {flag["kind"] for flag in follow_up.screening["red_flags"]}


@pytest.mark.parametrize(
    "who", ["another patient", "doctor", "moderator", "author of another question"]
)
def test_only_the_asker_may_follow_up(who, reply, moderator, doctor, patient, moderated):
    from forum.tests.factories import UserFactory

    user = {
        "another patient": UserFactory(),
        "doctor": doctor.user,
        "moderator": moderator,
        "author of another question": QuestionFactory().author,
    }[who]
    with pytest.raises(ActionNotAllowed):
        submit_follow_up(author=user, reply=reply, body=TEXT)
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    "state",
    ["reply held", "reply hidden", "question removed", "question a duplicate", "an answer"],
)
def test_no_follow_up_on_what_is_not_public_or_is_itself_an_answer(
    state, patient, question, doctor, reply, moderated
):
    target = reply
    if state == "reply held":
        target = ReplyFactory(question=question, status=Reply.Status.HELD, published_at=None)
    elif state == "reply hidden":
        Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.HIDDEN)
    elif state == "question removed":
        Question.objects.filter(pk=question.pk).update(status=Question.Status.REMOVED)
    elif state == "question a duplicate":
        Question.objects.filter(pk=question.pk).update(
            duplicate_of=ReplyFactory(question__specialty=question.specialty).question
        )
    else:
        target = ReplyFactory(
            question=question, doctor=doctor, follow_up=FollowUpFactory(reply=reply)
        )
    before = FollowUp.objects.count()
    with pytest.raises(ActionNotAllowed):
        submit_follow_up(author=patient, reply=target, body=TEXT)
    assert FollowUp.objects.count() == before


def test_follow_ups_per_question_are_limited_rejected_ones_aside(
    patient, reply, moderator, moderated
):
    moderated.FOLLOW_UPS_PER_QUESTION = 2
    first = submit_follow_up(author=patient, reply=reply, body=TEXT)
    submit_follow_up(author=patient, reply=reply, body=TEXT + " Also at night.")
    with pytest.raises(FollowUpLimitReached, match="2 follow-ups already"):
        submit_follow_up(author=patient, reply=reply, body=TEXT)
    reject_follow_up(follow_up=first, moderator=moderator, reason="Contains a name")
    third = submit_follow_up(author=patient, reply=reply, body=TEXT)
    assert third.status == FollowUp.Status.PENDING
    assert FollowUp.objects.counted_towards_limit().count() == 2


# --- Trusted askers --------------------------------------------------------------------


def test_approved_posts_are_the_askers_published_questions_and_follow_ups(patient, reply):
    assert approved_posts(patient) == 1  # the question
    FollowUpFactory(reply=reply)
    FollowUpFactory(reply=reply, status=FollowUp.Status.REJECTED, published_at=None)
    QuestionFactory(author=patient, status=Question.Status.REJECTED)
    QuestionFactory(author=patient, status=Question.Status.PENDING)
    assert approved_posts(patient) == 2


def test_a_trusted_askers_follow_up_is_published_at_once_logged_and_the_doctor_told(
    patient, reply, doctor, settings, django_capture_on_commit_callbacks
):
    settings.TRUSTED_ASKER_APPROVED_POSTS = 2
    assert not is_trusted_asker(patient)
    FollowUpFactory(reply=reply)  # a second approved post
    assert is_trusted_asker(patient)
    with (
        django_capture_on_commit_callbacks(execute=True),
        assert_pages_invalidated(question_ids=[reply.question_id]),
        assert_search_not_refreshed(),
    ):
        follow_up = submit_follow_up(author=patient, reply=reply, body=TEXT)
    assert follow_up.status == FollowUp.Status.PUBLISHED
    assert follow_up.published_at is not None
    (event,) = _events(Action.PUBLISH_TRUSTED_FOLLOW_UP)
    assert (event.actor, event.target) == (None, follow_up)
    (message,) = mail.outbox
    assert message.to == [doctor.user.email]


def test_trust_is_off_with_zero(patient, reply, settings):
    settings.TRUSTED_ASKER_APPROVED_POSTS = 0
    settings.FOLLOW_UPS_PER_QUESTION = 10
    FollowUpFactory.create_batch(5, reply=reply)
    assert not is_trusted_asker(patient)
    assert submit_follow_up(author=patient, reply=reply, body=TEXT).status == "pending"


# --- Moderation ------------------------------------------------------------------------


def test_approving_publishes_logs_invalidates_the_page_only_and_emails_the_doctor(
    patient, reply, doctor, moderator, moderated, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forum.example.org"
    follow_up = submit_follow_up(author=patient, reply=reply, body=TEXT)
    document = SearchDocument.objects.filter(question_id=reply.question_id).first()
    with (
        django_capture_on_commit_callbacks(execute=True),
        assert_pages_invalidated(question_ids=[reply.question_id], all_pages=False),
        assert_search_not_refreshed(),
    ):
        approve_follow_up(follow_up=follow_up, moderator=moderator)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.PUBLISHED
    (event,) = _events(Action.APPROVE_FOLLOW_UP)
    assert (event.actor, event.target) == (moderator, follow_up)
    assert SearchDocument.objects.filter(question_id=reply.question_id).first() == document
    (message,) = mail.outbox
    assert message.to == [doctor.user.email]
    assert TEXT in message.body
    assert "https://forum.example.org/doctor/" in message.body
    # Non-essential: one-click unsubscribe, and the doctor's setting stops the next one.
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    # Approving twice changes nothing.
    approve_follow_up(follow_up=follow_up, moderator=moderator)
    assert len(_events(Action.APPROVE_FOLLOW_UP)) == 1


def test_a_doctor_who_turned_follow_up_mail_off_gets_none(
    patient, reply, doctor, moderator, moderated, django_capture_on_commit_callbacks
):
    outbox.set_topic(user=doctor.user, topic=outbox.FOLLOW_UPS, wanted=False)
    follow_up = submit_follow_up(author=patient, reply=reply, body=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        approve_follow_up(follow_up=follow_up, moderator=moderator)
    assert mail.outbox == []


def test_the_follow_up_unsubscribe_link_turns_the_setting_off(client, doctor):
    token = outbox.unsubscribe_token(user=doctor.user, topic=outbox.FOLLOW_UPS)
    response = client.post(outbox.unsubscribe_url(token), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    doctor.user.refresh_from_db()
    assert doctor.user.email_follow_ups is False


def test_rejecting_needs_a_reason_logs_it_and_tells_the_asker(
    patient, reply, moderator, moderated, django_capture_on_commit_callbacks
):
    follow_up = submit_follow_up(author=patient, reply=reply, body=TEXT)
    with pytest.raises(ActionNotAllowed):
        reject_follow_up(follow_up=follow_up, moderator=moderator, reason="  ")
    with (
        django_capture_on_commit_callbacks(execute=True),
        assert_search_not_refreshed(),
    ):
        reject_follow_up(follow_up=follow_up, moderator=moderator, reason="Names a hospital ward")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.rejection_reason) == ("rejected", "Names a hospital ward")
    (event,) = _events(Action.REJECT_FOLLOW_UP)
    assert (event.actor, event.reason) == (moderator, "Names a hospital ward")
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert "Names a hospital ward" in message.body
    assert "List-Unsubscribe" not in message.extra_headers  # essential: why it is not public


def test_rejecting_a_published_follow_up_takes_it_off_the_page(
    reply, moderator, django_capture_on_commit_callbacks
):
    follow_up = FollowUpFactory(reply=reply)
    with assert_pages_invalidated(question_ids=[reply.question_id]):
        reject_follow_up(follow_up=follow_up, moderator=moderator, reason="Spam")
    assert FollowUp.objects.published().count() == 0


def test_a_rejected_follow_up_cannot_be_approved(patient, reply, moderator, moderated):
    follow_up = submit_follow_up(author=patient, reply=reply, body=TEXT)
    reject_follow_up(follow_up=follow_up, moderator=moderator, reason="Spam")
    with pytest.raises(ActionNotAllowed):
        approve_follow_up(follow_up=follow_up, moderator=moderator)


# --- The doctor's answer ---------------------------------------------------------------


def test_only_the_replys_verified_doctor_may_answer(reply, other_doctor, suspended_doctor):
    follow_up = FollowUpFactory(reply=reply)
    for someone in [other_doctor, suspended_doctor]:
        with pytest.raises(ActionNotAllowed):
            answer_follow_up(follow_up=follow_up, doctor=someone, body="My own view of it.")
    assert not Reply.objects.filter(follow_up=follow_up).exists()


def test_a_new_doctors_answer_is_held_then_approved_like_a_reply(
    patient,
    reply,
    doctor,
    moderator,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 5  # the doctor has one published reply
    question = reply.question
    answered_at = Question.objects.get(pk=question.pk).answered_at
    follow_up = FollowUpFactory(reply=reply)
    answer = answer_follow_up(follow_up=follow_up, doctor=reply.doctor, body="No: keep the dose.")
    assert (answer.status, answer.follow_up_id) == (Reply.Status.HELD, follow_up.pk)
    # A second submission (a double click) returns the same answer.
    assert answer_follow_up(follow_up=follow_up, doctor=reply.doctor, body="Again") == answer
    with (
        django_capture_on_commit_callbacks(execute=True),
        assert_pages_invalidated(question_ids=[question.pk], all_pages=False),
        assert_search_not_refreshed(),
    ):
        approve_reply(reply=answer, moderator=moderator)
    answer.refresh_from_db()
    assert answer.status == Reply.Status.PUBLISHED
    (event,) = _events(Action.APPROVE_REPLY)
    assert event.target == answer
    # The question's answered_at and its replies are those of the replies to it.
    assert Question.objects.get(pk=question.pk).answered_at == answered_at
    assert list(Reply.objects.to_questions().filter(question=question)) == [reply]
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert message.subject.endswith("A doctor answered your follow-up")
    assert f"#follow-up-{follow_up.pk}" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_an_answer_goes_back_and_hides_like_a_reply(reply, moderator, settings):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 5
    follow_up = FollowUpFactory(reply=reply)
    answer = answer_follow_up(follow_up=follow_up, doctor=reply.doctor, body="Keep the dose.")
    return_reply(reply=answer, moderator=moderator, reason="Add when to see a doctor")
    answer.refresh_from_db()
    assert answer.is_returned
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    published = ReplyFactory(
        question=reply.question, doctor=reply.doctor, follow_up=FollowUpFactory(reply=reply)
    )
    with assert_pages_invalidated(question_ids=[reply.question_id], all_pages=False):
        hide_reply(reply=published, moderator=moderator, reason="Wrong advice")
    # Hiding an answer to a follow-up leaves the question answered by its reply.
    assert Question.objects.get(pk=reply.question_id).answered_at is not None


def test_a_doctors_reply_to_the_question_is_not_taken_for_their_answer(
    question, reply, doctor, trusted
):
    from answers.actions.replying import submit_reply

    answer = ReplyFactory(question=question, doctor=doctor, follow_up=FollowUpFactory(reply=reply))
    assert submit_reply(question=question, doctor=doctor, body="Again") == reply
    assert answer.pk != reply.pk


# --- Withdrawing -----------------------------------------------------------------------


def test_a_withdrawn_question_takes_its_follow_ups_and_answers_and_their_words(
    patient, reply, moderator
):
    follow_up = FollowUpFactory(reply=reply)
    ReplyFactory(question=reply.question, doctor=reply.doctor, follow_up=follow_up)
    rejected = FollowUpFactory(reply=reply, status=FollowUp.Status.PENDING, published_at=None)
    reject_follow_up(follow_up=rejected, moderator=moderator, reason="Mentions Mr Chen")
    withdraw_question(question=reply.question, author=patient)
    assert not FollowUp.objects.exists()
    assert not Reply.objects.exists()
    (event,) = _events(Action.REJECT_FOLLOW_UP)
    assert event.reason == ""
    assert event.target_repr == f"follow-up {rejected.pk} (deleted)"


# --- The page's one statement ----------------------------------------------------------


def test_the_page_statement_reads_follow_ups_and_answers_as_the_orm_does(reply, doctor):
    from answers.page_data import load_question

    other = ReplyFactory(question=reply.question)
    first = FollowUpFactory(reply=reply)
    second = FollowUpFactory(reply=reply, body="And what about sleep?")
    answer = ReplyFactory(question=reply.question, doctor=doctor, follow_up=first)
    ReplyFactory(question=reply.question, doctor=doctor, follow_up=second, status="held")
    FollowUpFactory(reply=reply, status=FollowUp.Status.PENDING, published_at=None)
    loaded = load_question(reply.question_id)
    assert [r.pk for r in loaded.page_replies] == [reply.pk, other.pk]
    follow_ups = loaded.page_replies[0].page_follow_ups
    expected = list(FollowUp.objects.published().filter(reply=reply).order_by("published_at"))
    assert [(f.pk, f.body, f.published_at) for f in follow_ups] == [
        (f.pk, f.body, f.published_at) for f in expected
    ]
    assert [a.pk for a in follow_ups[0].page_answers] == [answer.pk]
    assert (
        follow_ups[0].page_answers[0].published_at == Reply.objects.get(pk=answer.pk).published_at
    )
    assert follow_ups[1].page_answers == []
    assert loaded.page_replies[1].page_follow_ups == []
