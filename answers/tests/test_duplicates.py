"""Closing a question as a duplicate of an answered one, and reopening it."""

import pytest
from django.core import mail
from django.urls import reverse

from answers.actions.errors import ActionNotAllowed
from answers.actions.moderation.duplicates import close_as_duplicate, reopen_duplicate
from answers.tests.factories import ReplyFactory
from forum.models import ModerationEvent
from forum.tests.factories import DoctorProfileFactory, EditorFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.models import Question, SearchDocument
from questions.search_index import refresh_question_document
from questions.similar import rank_similar
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(specialty):
    question = QuestionFactory(specialty=specialty, tags=["sleep"])
    ReplyFactory(question=question)
    question.refresh_from_db()
    return question


def test_closing_logs_emails_the_link_and_drops_the_duplicate_from_search_and_similar(
    original, specialty, moderator, django_capture_on_commit_callbacks
):
    duplicate = QuestionFactory(specialty=specialty, tags=["sleep"])
    ReplyFactory(question=duplicate)
    refresh_question_document(duplicate.pk)
    assert SearchDocument.objects.filter(question_id=duplicate.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        close_as_duplicate(question=duplicate, original=original, moderator=moderator)
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id == original.pk
    assert not SearchDocument.objects.filter(question_id=duplicate.pk).exists()
    ids = rank_similar(
        question_id=original.pk,
        specialty_id=specialty.pk,
        tag_ids=[t.pk for t in original.tags.all()],
    )
    assert duplicate.pk not in ids
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.CLOSE_DUPLICATE)
    assert event.target_id == duplicate.pk
    assert any(original.get_absolute_url() in m.body for m in mail.outbox)
    reopen_duplicate(question=duplicate, moderator=moderator)
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id is None
    assert ModerationEvent.objects.filter(action=ModerationEvent.Action.REOPEN_DUPLICATE).exists()
    assert SearchDocument.objects.filter(question_id=duplicate.pk).exists()


def test_original_must_be_answered_published_other_and_not_a_duplicate(
    original, specialty, moderator
):
    question = PendingQuestionFactory(specialty=specialty)
    unanswered = QuestionFactory(specialty=specialty)
    with pytest.raises(ActionNotAllowed):
        close_as_duplicate(question=question, original=unanswered, moderator=moderator)
    with pytest.raises(ActionNotAllowed):
        close_as_duplicate(question=original, original=original, moderator=moderator)
    second = QuestionFactory(specialty=specialty)
    close_as_duplicate(question=second, original=original, moderator=moderator)
    second.refresh_from_db()
    second.answered_at = original.answered_at
    second.save()
    with pytest.raises(ActionNotAllowed):
        close_as_duplicate(question=question, original=second, moderator=moderator)


@pytest.mark.parametrize(
    "who,expected",
    [
        ("anonymous", 302),
        ("patient", 403),
        ("doctor", 403),
        ("editor", 403),
        ("staff", 403),
        ("moderator", 200),
    ],
)
def test_duplicate_form_is_for_moderators_only(client, who, expected, specialty, moderator):
    question = QuestionFactory(specialty=specialty)
    users = {
        "patient": lambda: question.author,
        "doctor": lambda: DoctorProfileFactory().user,
        "editor": EditorFactory,
        "staff": lambda: UserFactory(is_staff=True),
        "moderator": lambda: moderator,
    }
    if who in users:
        sign_in(client, users[who]())
    response = client.get(reverse("answers:question-duplicate", kwargs={"pk": question.pk}))
    assert response.status_code == expected


def test_moderator_closes_by_address_and_a_bad_original_gives_a_message(
    client, moderator, original, specialty
):
    question = QuestionFactory(specialty=specialty)
    sign_in(client, moderator)
    url = reverse("answers:question-duplicate", kwargs={"pk": question.pk})
    response = client.post(url, {"original": "not a question"})
    assert response.status_code == 400
    assert "Enter a question number" in response.content.decode()
    response = client.post(url, {"original": f"https://example.org{original.get_absolute_url()}"})
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).duplicate_of_id == original.pk
    reopen = reverse("answers:question-reopen", kwargs={"pk": question.pk})
    assert client.get(reopen).status_code == 405
    assert client.post(reopen).status_code == 302
    assert Question.objects.get(pk=question.pk).duplicate_of_id is None


def test_the_duplicates_page_links_the_original_and_is_not_indexed_for_every_reader(
    client, original, specialty, moderator
):
    from questions.tests.changes import assert_pages_invalidated

    duplicate = QuestionFactory(specialty=specialty, title="Can't sleep after night shifts")
    page = duplicate.get_absolute_url()
    assert "asked and answered before" not in client.get(page).content.decode()  # cached now
    with assert_pages_invalidated(question_ids=[duplicate.pk], all_pages=True):
        close_as_duplicate(question=duplicate, original=original, moderator=moderator)
    html = client.get(page).content.decode()
    short = reverse("questions:detail-short", kwargs={"pk": original.pk})
    assert f'This question was asked and answered before. <a href="{short}">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert client.get(short).url == original.get_absolute_url()
    reopen_duplicate(question=duplicate, moderator=moderator)
    assert "asked and answered before" not in client.get(page).content.decode()


def test_the_moderation_queue_links_each_question_to_its_duplicate_form(
    client, moderator, specialty, login_with_two_factor
):
    pending = PendingQuestionFactory(specialty=specialty)
    login_with_two_factor(client, moderator)
    queue = client.get(reverse("answers:moderation")).content.decode()
    url = reverse("answers:question-duplicate", kwargs={"pk": pending.pk})
    assert f'href="{url}"' in queue
