import pytest
from django.core import mail

from forum.models import ModerationEvent
from questions.actions import approve_question, reject_question, remove_question
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory

pytestmark = pytest.mark.django_db


def test_approve_question_publishes_logs_and_emails_after_commit(
    moderator, django_capture_on_commit_callbacks
):
    question = PendingQuestionFactory(author__email="asker@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        approve_question(question=question, moderator=moderator)
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert question.published_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asker@example.org"]
    assert question.get_absolute_url() in mail.outbox[0].body
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == ("approve_question", moderator, question)


def test_approving_twice_leaves_one_event_and_one_email(
    moderator, django_capture_on_commit_callbacks
):
    question = PendingQuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        approve_question(question=question, moderator=moderator)
        approve_question(question=question, moderator=moderator)
    assert ModerationEvent.objects.count() == 1
    assert len(mail.outbox) == 1


def test_reject_question_needs_a_reason_and_tells_the_author(
    moderator, django_capture_on_commit_callbacks
):
    question = PendingQuestionFactory()
    with pytest.raises(ValueError):
        reject_question(question=question, moderator=moderator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        reject_question(question=question, moderator=moderator, reason="Contains a phone number")
    question.refresh_from_db()
    assert question.status == Question.Status.REJECTED
    assert "Contains a phone number" in mail.outbox[0].body
    assert ModerationEvent.objects.get().reason == "Contains a phone number"


def test_failing_mail_server_does_not_undo_the_approval(
    moderator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    question = PendingQuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        approve_question(question=question, moderator=moderator)
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED


def test_remove_question_takes_it_off_the_site(moderator, question):
    remove_question(question=question, moderator=moderator, reason="Duplicate")
    question.refresh_from_db()
    assert question.status == Question.Status.REMOVED
    assert ModerationEvent.objects.get().action == "remove_question"


def test_set_question_tags_replaces_tags_logs_and_invalidates_pages_after_commit(
    editor, question, django_capture_on_commit_callbacks
):
    from questions.actions import set_question_tags
    from questions.cache import page_cache_key
    from questions.tests.changes import assert_pages_invalidated, assert_similar_marked_stale

    question.tags.add("headache")
    page_key, other_key = page_cache_key(question.pk), page_cache_key(question.pk + 1)
    with (
        assert_pages_invalidated(question_ids=[question.pk], all_pages=True),
        assert_similar_marked_stale([question.pk]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        set_question_tags(question=question, tags=[" Sleep ", "headache", ""], editor=editor)
    assert sorted(question.tags.names()) == ["Sleep", "headache"]
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == ("edit_question", editor, question)
    assert event.reason == "Tags: headache -> headache, Sleep"
    assert page_cache_key(question.pk) != page_key
    assert page_cache_key(question.pk + 1) != other_key
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        set_question_tags(question=question, tags=["headache", "Sleep"], editor=editor)
    assert callbacks == [] and ModerationEvent.objects.count() == 1
