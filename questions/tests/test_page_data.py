"""The Q&A page's hand-written reads return what the ORM queries they mirror return."""

from datetime import timedelta

import pytest
from django.db.models import Count

from answers.models import FAQ, Article, Reply
from answers.page_data import (
    FAQ_FIELDS,
    load_articles,
    load_question,
    similar_items,
    similar_questions,
)
from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from forum.tests.factories import DoctorProfileFactory
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    """Every concrete field's value (attname), as the ORM loaded or converted it."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_load_question_matches_the_orm_with_its_specialty(specialty):
    question = QuestionFactory(
        specialty=specialty, tags=["sleep"], screening={"red_flags": ["chest_pain"]}
    )
    question.similar_ids = [3, 1]
    question.save()
    loaded = load_question(question.pk)
    expected = type(question).objects.select_related("specialty").get(pk=question.pk)
    assert fields(loaded) == fields(expected)
    assert loaded.created_at.tzinfo is not None
    assert loaded.screening == {"red_flags": ["chest_pain"]}
    assert loaded.similar_ids == [3, 1]
    assert (loaded.specialty.name, loaded.specialty.slug) == (specialty.name, specialty.slug)
    assert load_question(question.pk + 1000) is None
    assert load_question(2**64) is None


def test_load_question_reads_the_published_replies_in_order_with_their_doctors(question):
    question.tags.add("sleep", "stress")
    later = ReplyFactory(question=question)
    earlier = ReplyFactory(question=question, edited_at=later.published_at)
    earlier.published_at = later.published_at - timedelta(hours=1)
    earlier.save()
    ReplyFactory(question=question, status=Reply.Status.HELD)
    loaded = load_question(question.pk).page_replies
    expected = list(
        question.replies.published().select_related("doctor").order_by("published_at", "id")
    )
    assert [r.pk for r in loaded] == [earlier.pk, later.pk]
    assert [fields(r) for r in loaded] == [fields(r) for r in expected]
    assert loaded[0].doctor.display_name == earlier.doctor.display_name
    assert loaded[0].doctor.get_absolute_url() == earlier.doctor.get_absolute_url()
    assert loaded[0].doctor.is_verified
    assert loaded[0].question.pk == question.pk
    # A row per reply, but the question's tags once.
    assert [t.name for t in load_question(question.pk).page_tags] == ["sleep", "stress"]
    assert load_question(QuestionFactory().pk).page_replies == []


def test_load_question_reads_its_tags_by_name(question):
    question.tags.add("sleep", "Back pain", "acne", 'Quotes "and" commas, [brackets]')
    expected = sorted(question.tags.all(), key=lambda tag: tag.name.lower())
    tags = load_question(question.pk).page_tags
    assert [(t.pk, t.name, t.slug) for t in tags] == [(t.pk, t.name, t.slug) for t in expected]
    assert [t.name for t in tags][:3] == [
        "acne",
        "Back pain",
        'Quotes "and" commas, [brackets]',
    ]
    assert [t.get_absolute_url() for t in tags] == [t.get_absolute_url() for t in expected]
    untagged = QuestionFactory()
    assert load_question(untagged.pk).page_tags == []


def test_articles_are_not_queried_when_the_question_has_none(question, django_assert_num_queries):
    ArticleFactory(status=Article.Status.DRAFT).questions.add(question)
    loaded = load_question(question.pk)
    assert loaded.has_published_articles is False
    with django_assert_num_queries(0):
        assert load_articles(loaded) == []
    ArticleFactory().questions.add(question)
    assert load_question(question.pk).has_published_articles is True


def test_load_articles_are_the_published_ones_newest_first_with_reviewer(question):
    older = ArticleFactory()
    newer = ArticleFactory(reviewer=None, reviewed_on=None)
    newer.published_at = older.published_at + timedelta(days=1)
    newer.save()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    for article in (older, newer, draft):
        article.questions.add(question)
    loaded = load_articles(question)
    assert [a.pk for a in loaded] == [newer.pk, older.pk]
    expected = list(question.articles.published().select_related("reviewer"))
    assert [fields(a) for a in loaded] == [fields(a) for a in expected]
    assert loaded[0].reviewer is None
    assert loaded[1].reviewer.display_name == older.reviewer.display_name
    assert loaded[1].reviewed_on == older.reviewed_on


def test_load_question_reads_the_related_faqs_as_the_orm_ranks_them(question):
    question.tags.add("sleep", "headache", "stress")
    tag_ids = list(question.tags.values_list("pk", flat=True))
    shapes = [["sleep"], ["sleep", "headache"], ["stress"], ["other"], [], ["sleep"]]
    shapes += [["headache", "stress"], ["stress"]]
    for n, tags in enumerate(shapes):
        faq = FAQFactory(position=n % 3, answer=f"Answer **{n}** & more")
        faq.tags.add(*tags)
    FAQFactory(is_published=False).tags.add("sleep", "headache", "stress")
    expected = list(
        FAQ.objects.published()
        .filter(tag_links__tag_id__in=tag_ids)
        .annotate(shared=Count("tag_links"))
        .order_by("-shared", "position", "id")[:5]
    )
    loaded = load_question(question.pk).page_faqs
    assert len(loaded) == 5
    assert [[getattr(f, name) for name in FAQ_FIELDS] for f in loaded] == [
        [getattr(f, name) for name in FAQ_FIELDS] for f in expected
    ]
    assert loaded[0].get_absolute_url() == expected[0].get_absolute_url()
    assert load_question(QuestionFactory().pk).page_faqs == []


def test_load_question_reads_the_stored_similar_list_items(question, specialty):
    listed = []
    for n in range(3):
        other = QuestionFactory(specialty=specialty, title=f"Other question {n}")
        ReplyFactory(question=other, body=f"Reply {n} " * 50)
        listed.append(other)
    ArticleFactory(title="An article title").questions.add(listed[1])
    hidden = QuestionFactory(status=type(question).Status.REMOVED)
    ReplyFactory(question=hidden)
    assert load_question(question.pk).page_similar is None  # no list stored yet
    ids = [listed[2].pk, hidden.pk, listed[0].pk, listed[1].pk]
    type(question).objects.filter(pk=question.pk).update(similar_ids=ids)
    loaded = load_question(question.pk)
    assert loaded.page_similar == similar_items(ids)
    shown = [listed[2].pk, listed[0].pk, listed[1].pk]  # in the stored order, still listed
    assert [item["id"] for item in loaded.page_similar] == shown
    assert loaded.page_similar[2]["title"] == "Other question 1"  # its own, not its article's
    assert loaded.page_similar[0]["reply_excerpt"].startswith("Reply 2 Reply 2")
    type(question).objects.filter(pk=question.pk).update(similar_ids=[])
    assert load_question(question.pk).page_similar == []


def test_similar_items_show_the_first_published_reply_and_its_doctor(question, specialty):
    other = QuestionFactory(specialty=specialty)
    first = ReplyFactory(question=other, body="First published reply.")
    later = ReplyFactory(question=other, body="A later reply.")
    later.published_at = first.published_at + timedelta(hours=1)
    later.save()
    held = ReplyFactory(question=other, body="Held.", status=Reply.Status.HELD)
    held.published_at = first.published_at - timedelta(hours=1)
    held.save()
    type(question).objects.filter(pk=question.pk).update(similar_ids=[other.pk])
    [item] = load_question(question.pk).page_similar
    assert item["reply_excerpt"] == "First published reply."
    assert item["doctor_name"] == first.doctor.display_name
    assert item["doctor_url"] == first.doctor.get_absolute_url()
    assert [item] == similar_items([other.pk])


def test_load_question_reads_the_first_four_ids_of_a_longer_stored_list(question, specialty):
    """A stored list holds at most four ids (SIMILAR_COUNT); the statement says so to the
    planner. A longer one (stored by hand) reads its first four, and the page ranks a
    list afresh when fewer items come back than it has ids."""
    others = [QuestionFactory(specialty=specialty) for _ in range(6)]
    for other in others:
        ReplyFactory(question=other)
    ids = [other.pk for other in others]
    type(question).objects.filter(pk=question.pk).update(similar_ids=ids)
    loaded = load_question(question.pk)
    assert [item["id"] for item in loaded.page_similar] == ids[:4]
    assert loaded.page_similar == similar_items(ids[:4])


def test_the_page_reads_similar_items_with_the_question(question, django_assert_num_queries):
    question.tags.add("sleep")
    other = QuestionFactory(tags=["sleep"])
    ReplyFactory(question=other)
    type(question).objects.filter(pk=question.pk).update(similar_ids=[other.pk])
    loaded = load_question(question.pk)
    tag_ids = [tag.pk for tag in loaded.page_tags]
    with django_assert_num_queries(0):
        [item] = similar_questions(question=loaded, tag_ids=tag_ids)
    assert item["id"] == other.pk


def test_unverified_doctor_is_loaded_with_its_status(question):
    doctor = DoctorProfileFactory(status="suspended")
    ReplyFactory(question=question, doctor=doctor)
    [reply] = load_question(question.pk).page_replies
    assert not reply.doctor.is_verified
