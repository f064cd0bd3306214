import pytest
from django.db import IntegrityError, transaction

from answers.tests.factories import ReplyFactory
from questions.models import Question, TaggedQuestion
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_question_slug_comes_from_title_and_url_is_canonical():
    question = QuestionFactory(title="Left thumb twitches when I relax?")
    assert question.slug == "left-thumb-twitches-when-i-relax"
    assert (
        question.get_absolute_url() == f"/questions/{question.pk}/left-thumb-twitches-when-i-relax/"
    )


def test_latest_answered_lists_only_published_answered_questions_newest_first():
    older = ReplyFactory().question
    newer = ReplyFactory().question
    QuestionFactory()
    pending = PendingQuestionFactory()
    pending.answered_at = newer.answered_at
    pending.save()
    assert list(Question.objects.latest_answered()) == [newer, older]


def test_tag_link_is_unique_per_question_and_tag():
    question = QuestionFactory()
    tag = TagFactory(name="headache")
    TaggedQuestion.objects.create(content_object=question, tag=tag)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaggedQuestion.objects.create(content_object=question, tag=tag)


def test_tag_through_model_has_tag_question_index():
    indexes = {tuple(index.fields) for index in TaggedQuestion._meta.indexes}
    assert ("tag", "content_object") in indexes


def test_question_tags_use_the_custom_through_model():
    question = QuestionFactory(tags=["migraine", "insomnia"])
    assert sorted(question.tags.names()) == ["insomnia", "migraine"]
    assert TaggedQuestion.objects.filter(content_object=question).count() == 2
