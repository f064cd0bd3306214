"""A patient withdraws one question: who may, what goes, what each derived store does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.models import ModerationEvent
from forum.site.search import search_questions
from forum.tests.factories import DoctorProfileFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.search_index import refresh_question_document
from questions.tests.changes import assert_pages_invalidated
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

TITLE = "Why does my knee click when I climb stairs?"


@pytest.fixture
def answered(patient, specialty, doctor):
    question = QuestionFactory(author=patient, specialty=specialty, title=TITLE)
    ReplyFactory(question=question, doctor=doctor, body="Clicking without pain is common.")
    refresh_question_document(question.pk)
    question.refresh_from_db()
    return question


def withdraw_url(question) -> str:
    return reverse("questions:withdraw", args=[question.pk])


@pytest.mark.parametrize("role", ["other patient", "doctor", "moderator", "editor", "staff"])
def test_nobody_but_the_author_finds_the_withdraw_page(client, role, answered, request):
    user = {
        "other patient": lambda: UserFactory(email="other@example.org"),
        "doctor": lambda: DoctorProfileFactory().user,
        "moderator": lambda: request.getfixturevalue("moderator"),
        "editor": lambda: request.getfixturevalue("editor"),
        "staff": lambda: UserFactory(email="staff@example.org", is_staff=True),
    }[role]()
    sign_in(client, user)
    assert client.get(withdraw_url(answered)).status_code == 404
    assert client.post(withdraw_url(answered)).status_code == 404
    assert Question.objects.filter(pk=answered.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, answered):
    for response in (client.get(withdraw_url(answered)), client.post(withdraw_url(answered))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert Question.objects.filter(pk=answered.pk).exists()


def test_the_page_says_what_goes_and_a_get_deletes_nothing(
    client, patient, answered, django_assert_num_queries
):
    client.force_login(patient)
    # Session, user, the header's two role checks, the question, its answers' count.
    with django_assert_num_queries(6):
        page = client.get(withdraw_url(answered)).content.decode()
    assert TITLE.replace("?", "") in page
    assert "Its doctor's answer is deleted with it" in page
    assert "Withdraw and delete this question" in page
    assert Question.objects.filter(pk=answered.pk).exists()


def test_my_questions_links_each_question_to_its_withdraw_page(client, patient, answered):
    client.force_login(patient)
    page = client.get(reverse("questions:mine")).content.decode()
    assert f'href="{withdraw_url(answered)}"' in page


def test_withdrawing_deletes_the_question_and_its_replies_and_refreshes_every_page(
    client, patient, answered, specialty
):
    other = QuestionFactory(specialty=specialty, title="Knee pain after running")
    reply_ids = list(answered.replies.values_list("pk", flat=True))
    client.force_login(patient)
    with assert_pages_invalidated(question_ids=[answered.pk], all_pages=True):
        response = client.post(withdraw_url(answered), follow=True)

    assert "is withdrawn and deleted, with its answers" in response.content.decode()
    assert not Question.objects.filter(pk=answered.pk).exists()
    assert not Reply.objects.filter(pk__in=reply_ids).exists()
    assert Question.objects.filter(pk=other.pk).exists()
    client.logout()
    assert client.get(answered.get_absolute_url()).status_code == 404
    assert answered.pk not in search_questions("knee click").ids
    assert TITLE not in client.get(reverse("forum:feed-rss")).content.decode()
    sitemap = client.get(reverse("sitemap-section", args=["questions"])).content.decode()
    assert answered.get_absolute_url() not in sitemap


def test_the_audit_log_keeps_only_that_question_n_was_withdrawn(client, patient, answered):
    client.force_login(patient)
    client.post(withdraw_url(answered))
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.WITHDRAW_QUESTION)
    assert event.target_id == answered.pk
    assert event.actor is None and event.actor_label == ""
    assert TITLE not in event.target_repr and "deleted" in event.target_repr
    assert patient.email not in event.target_repr + event.reason


def test_a_pending_question_can_be_withdrawn_without_touching_other_pages(
    client, patient, specialty
):
    pending = QuestionFactory(author=patient, specialty=specialty, status=Question.Status.PENDING)
    client.force_login(patient)
    with assert_pages_invalidated(all_pages=False):
        assert client.post(withdraw_url(pending)).status_code == 302
    assert not Question.objects.filter(pk=pending.pk).exists()


def test_withdrawing_twice_is_a_404_not_an_error(client, patient, answered):
    client.force_login(patient)
    client.post(withdraw_url(answered))
    assert client.post(withdraw_url(answered)).status_code == 404


def test_the_moderation_log_says_the_author_withdrew_it(
    client, patient, answered, moderator, login_with_two_factor
):
    client.force_login(patient)
    client.post(withdraw_url(answered))
    client.logout()
    login_with_two_factor(client, moderator)
    log = client.get(reverse("answers:moderation-log")).content.decode()
    assert f"The author withdrew question {answered.pk} (deleted)." in log
    assert patient.email not in log


def test_the_withdraw_page_in_chinese(client, patient, answered):
    from forum.i18n import url_in_language

    client.force_login(patient)
    page = client.get(url_in_language(withdraw_url(answered), "zh-hant")).content.decode()
    assert "撤回並刪除這則問題" in page
    assert "醫師的 1 則回覆會一併刪除" in page
