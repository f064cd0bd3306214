from datetime import timedelta

import pytest
from django.utils import timezone

from forum.tests.factories import SpecialtyFactory, UserFactory
from questions.actions import (
    AccountDeletionNotAllowed,
    DailyQuestionLimitReached,
    PersonalDataFound,
    QuestionNotEditable,
    delete_account,
    edit_pending_question,
    submit_question,
)
from questions.cache import page_cache_key
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def fields(specialty, **overrides):
    data = {
        "nickname": "Owl",
        "subject": Question.Subject.CHILD,
        "age_range": Question.AgeRange.AGE_0,
        "sex": Question.Sex.MALE,
        "specialty": specialty,
        "title": "Fever for three days in a toddler",
        "body": "My son has had a fever of 38.5 C for three days; he drinks well.",
        "tags": ["fever", "children"],
    }
    data.update(overrides)
    return data


def test_submit_question_creates_a_pending_question(patient, specialty):
    question = submit_question(author=patient, **fields(specialty))
    assert question.status == Question.Status.PENDING
    assert question.subject == Question.Subject.CHILD
    assert question.slug == "fever-for-three-days-in-a-toddler"
    assert sorted(question.tags.names()) == ["children", "fever"]


def test_submit_question_marks_red_flags_urgent(patient, specialty):
    question = submit_question(
        author=patient, **fields(specialty, body="He swallowed bleach an hour ago and is crying.")
    )
    assert question.is_urgent
    assert question.screening["red_flags"][0]["kind"] == "poisoning"


def test_submit_question_refuses_personal_data(patient, specialty):
    with pytest.raises(PersonalDataFound):
        submit_question(author=patient, **fields(specialty, body="Call me on 0912-345-678 now."))
    assert not Question.objects.exists()


def test_submit_question_enforces_the_daily_limit(patient, specialty, settings):
    settings.QUESTIONS_PER_DAY = 2
    first = submit_question(author=patient, **fields(specialty))
    submit_question(author=patient, **fields(specialty))
    with pytest.raises(DailyQuestionLimitReached) as caught:
        submit_question(author=patient, **fields(specialty))
    assert caught.value.allowed_at == first.created_at + timedelta(days=1)
    assert Question.objects.count() == 2
    submit_question(author=UserFactory(), **fields(specialty))  # others are not limited


def test_daily_limit_of_zero_means_no_limit(patient, specialty, settings):
    settings.QUESTIONS_PER_DAY = 0
    for _ in range(3):
        submit_question(author=patient, **fields(specialty))
    assert Question.objects.count() == 3


def test_edit_pending_question_changes_only_pending_questions_of_the_author(patient, specialty):
    question = PendingQuestionFactory(author=patient)
    edited = edit_pending_question(
        question=question, author=patient, **fields(specialty, title="Fever and a rash")
    )
    assert (edited.title, edited.slug, edited.specialty) == (
        "Fever and a rash",
        "fever-and-a-rash",
        specialty,
    )
    with pytest.raises(QuestionNotEditable):
        edit_pending_question(question=question, author=UserFactory(), **fields(specialty))
    Question.objects.filter(pk=question.pk).update(status=Question.Status.PUBLISHED)
    with pytest.raises(QuestionNotEditable):
        edit_pending_question(question=question, author=patient, **fields(specialty))


def test_delete_account_removing_questions_refreshes_their_cached_pages(
    patient, django_capture_on_commit_callbacks
):
    question = QuestionFactory(author=patient)
    before = page_cache_key(question.pk)
    with django_capture_on_commit_callbacks(execute=True):
        result = delete_account(user=patient, keep_published_questions=False)
    assert result.removed_questions == 1
    assert page_cache_key(question.pk) != before


def test_delete_account_keeping_questions_reports_what_it_kept(patient):
    QuestionFactory.create_batch(2, author=patient)
    PendingQuestionFactory(author=patient)
    result = delete_account(user=patient, keep_published_questions=True)
    assert (result.kept_questions, result.removed_questions) == (2, 1)
    assert Question.objects.filter(author__isnull=True).count() == 2


def test_delete_account_refuses_staff_and_doctors(doctor, editor):
    for user in (doctor.user, editor):
        with pytest.raises(AccountDeletionNotAllowed):
            delete_account(user=user, keep_published_questions=True)


def test_median_answer_time_over_an_odd_and_an_even_number_of_questions():
    specialty = SpecialtyFactory()
    now = timezone.now()

    def answered(hours, days_ago=5, **kwargs):
        published = now - timedelta(days=days_ago)
        return QuestionFactory(
            specialty=specialty,
            published_at=published,
            answered_at=published + timedelta(hours=hours),
            **kwargs,
        )

    for hours in (1, 3, 10):
        answered(hours)
    answered(500, days_ago=200)  # outside the window
    QuestionFactory(answered_at=now)  # another specialty
    recent = Question.objects.published().filter(specialty=specialty)
    window = recent.answered_since(now - timedelta(days=90))
    assert window.median_answer_time() == timedelta(hours=3)
    answered(5)
    assert window.median_answer_time() == timedelta(hours=4)
    assert Question.objects.none().median_answer_time() is None
