"""Chinese tags, and tags in two languages linked as one topic (Tag.topic): Similar Q&A
and Related FAQ count them as one shared tag; linking and unlinking refreshes the lists
and pages that count them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from answers.page_data import compute_similar, load_question, similar_questions
from answers.tests.factories import FAQFactory, ReplyFactory
from forum.tests.factories import SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.forms import AskForm
from questions.models import Question, Tag
from questions.similar import mark_similar_stale
from questions.tests.ask_data import ask_data
from questions.tests.changes import assert_pages_invalidated, assert_similar_marked_stale
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def answered(*, tags, specialty, days_ago=0, **kwargs) -> Question:
    question = QuestionFactory(specialty=specialty, tags=tags, **kwargs)
    question.answered_at = DAY - timedelta(days=days_ago)
    question.save(update_fields=["answered_at"])
    return question


def link(name: str, *, to: str) -> Tag:
    tag, topic = Tag.objects.get(name=name), Tag.objects.get_or_create(name=to)[0]
    tag.topic = topic
    tag.save()
    return tag


def ranked(question: Question, **kwargs) -> list[int]:
    tag_ids = list(question.tags.values_list("pk", flat=True))
    items = compute_similar(
        question_id=question.pk, specialty_id=question.specialty_id, tag_ids=tag_ids, **kwargs
    )
    return [item["id"] for item in items]


# Chinese tags -------------------------------------------------------------------------


def test_ask_form_accepts_chinese_tags_and_full_width_commas(specialty):
    form = AskForm(ask_data(specialty, tags="頭痛，失眠、胃食道逆流, headache"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tags"] == ["頭痛", "失眠", "胃食道逆流", "headache"]


@pytest.mark.parametrize("tags", ["頭痛!", "頭痛_失眠", "頭痛 -- 失眠"])
def test_ask_form_still_refuses_symbols_in_chinese_tags(specialty, tags):
    form = AskForm(ask_data(specialty, tags=tags))
    assert not form.is_valid()
    assert "only letters, numbers, spaces and hyphens" in str(form.errors["tags"])


def test_chinese_tags_get_readable_unicode_slugs_and_pages(client, specialty):
    question = QuestionFactory(specialty=specialty, tags=["胃食道逆流", "睡眠 品質"])
    ReplyFactory(question=question)
    tags = {tag.name: tag for tag in Tag.objects.all()}
    assert (tags["胃食道逆流"].slug, tags["睡眠 品質"].slug) == ("胃食道逆流", "睡眠-品質")
    url = tags["胃食道逆流"].get_absolute_url()
    assert url == "/questions/tags/%E8%83%83%E9%A3%9F%E9%81%93%E9%80%86%E6%B5%81/"
    assert url == reverse("questions:tag", kwargs={"slug": "胃食道逆流"})
    response = client.get(url)
    assert response.status_code == 200
    assert question.title in response.content.decode()
    assert client.get("/questions/tags/不存在/").status_code == 404


# Similar Q&A and Related FAQ count a topic's tags once --------------------------------


def test_a_chinese_question_lists_english_answers_on_the_linked_topic(specialty):
    chinese = answered(tags=["頭痛", "失眠"], specialty=specialty)
    english = answered(tags=["headache"], specialty=specialty, days_ago=3)
    unrelated = answered(tags=["knee pain"], specialty=specialty)
    assert ranked(chinese, limit=10) == []

    link("頭痛", to="headache")

    assert ranked(chinese, limit=10) == [english.pk]
    assert ranked(english, limit=10) == [chinese.pk]
    assert unrelated.pk not in ranked(english, limit=10)


def test_linked_tags_count_as_one_shared_tag(specialty):
    other = SpecialtyFactory(name="Cardiology", slug="cardiology")
    page = answered(tags=["headache", "sleep"], specialty=specialty)
    # Both tags of one topic: one shared tag, not two, so the same-specialty question
    # sharing one tag ranks above it.
    both_of_one_topic = answered(tags=["headache", "頭痛"], specialty=other, days_ago=0)
    one_tag_same_specialty = answered(tags=["headache"], specialty=specialty, days_ago=9)
    two_topics = answered(tags=["頭痛", "失眠"], specialty=other, days_ago=20)
    link("頭痛", to="headache")
    link("失眠", to="sleep")

    assert ranked(page, limit=10) == [
        two_topics.pk,
        one_tag_same_specialty.pk,
        both_of_one_topic.pk,
    ]


def test_a_topic_with_several_linked_tags_gathers_them_all(specialty):
    page = answered(tags=["偏頭痛"], specialty=specialty)
    via_topic = answered(tags=["migraine"], specialty=specialty, days_ago=1)
    via_sibling = answered(tags=["偏頭痛症"], specialty=specialty, days_ago=2)
    link("偏頭痛", to="migraine")
    link("偏頭痛症", to="migraine")

    assert ranked(page, limit=10) == [via_topic.pk, via_sibling.pk]


def test_related_faq_counts_a_linked_tag_as_the_same_topic(question):
    question.tags.add("頭痛", "失眠")
    headache_faq = FAQFactory(question="When is a headache an emergency?")
    headache_faq.tags.add("headache")
    both_faq = FAQFactory(question="Do headaches disturb sleep?", position=5)
    both_faq.tags.add("headache", "sleep")
    FAQFactory(question="Knee pain at night?").tags.add("knee pain")
    assert load_question(question.pk).page_faqs == []

    link("頭痛", to="headache")
    link("失眠", to="sleep")
    faqs = load_question(question.pk).page_faqs
    assert [faq.question for faq in faqs] == [both_faq.question, headache_faq.question]


def test_a_faq_carrying_both_tags_of_a_topic_counts_it_once(question):
    question.tags.add("headache", "sleep")
    doubled = FAQFactory(question="頭痛怎麼辦？", position=0)
    doubled.tags.add("headache", "頭痛")
    two_topics = FAQFactory(question="Headache and sleep?", position=9)
    two_topics.tags.add("headache", "sleep")
    link("頭痛", to="headache")

    faqs = load_question(question.pk).page_faqs
    assert [faq.question for faq in faqs] == [two_topics.question, doubled.question]


# What a link or unlink refreshes ------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    sign_in(client, editor)
    return client


def change(editor_client, tag: Tag, *, topic: Tag | None):
    return editor_client.post(
        reverse("admin:questions_tag_change", args=[tag.pk]),
        {"name": tag.name, "slug": tag.slug, "topic": topic.pk if topic else "", "description": ""},
    )


def test_linking_a_tag_in_admin_reranks_both_topics_lists_and_every_page(editor_client, specialty):
    chinese = answered(tags=["頭痛"], specialty=specialty)
    english = answered(tags=["headache"], specialty=specialty)
    unrelated = answered(tags=["knee pain"], specialty=specialty)
    tag, topic = Tag.objects.get(name="頭痛"), Tag.objects.get(name="headache")
    for question in (chinese, english, unrelated):
        similar_questions(
            question=question, tag_ids=list(question.tags.values_list("pk", flat=True))
        )

    with (
        assert_pages_invalidated(question_ids=[chinese.pk, english.pk], all_pages=True),
        assert_similar_marked_stale([chinese.pk, english.pk]),
    ):
        response = change(editor_client, tag, topic=topic)

    assert response.status_code == 302
    assert Tag.objects.get(pk=tag.pk).topic == topic
    assert Question.objects.get(pk=unrelated.pk).similar_ids == []  # kept
    page = editor_client.get(chinese.get_absolute_url()).content.decode()
    assert english.title in page


def test_unlinking_reranks_the_old_topics_lists(editor_client, specialty):
    chinese = answered(tags=["頭痛"], specialty=specialty)
    english = answered(tags=["headache"], specialty=specialty)
    sibling = answered(tags=["頭疼"], specialty=specialty)
    tag = link("頭痛", to="headache")
    link("頭疼", to="headache")

    with (
        assert_pages_invalidated(all_pages=True),
        assert_similar_marked_stale([chinese.pk, english.pk, sibling.pk]),
    ):
        response = change(editor_client, tag, topic=None)

    assert response.status_code == 302
    assert Tag.objects.get(pk=tag.pk).topic is None
    assert ranked(chinese, limit=10) == []
    assert ranked(english, limit=10) == [sibling.pk]


def test_renaming_a_linked_tag_leaves_the_lists_alone(editor_client, specialty):
    chinese = answered(tags=["頭痛"], specialty=specialty)
    tag = link("頭痛", to="headache")
    with (
        assert_pages_invalidated(all_pages=True),
        pytest.raises(AssertionError, match="were not marked stale"),
        assert_similar_marked_stale([chinese.pk]),
    ):
        editor_client.post(
            reverse("admin:questions_tag_change", args=[tag.pk]),
            {"name": "頭部疼痛", "slug": tag.slug, "topic": tag.topic_id, "description": ""},
        )
    assert Tag.objects.get(pk=tag.pk).name == "頭部疼痛"


def test_retagging_a_question_marks_the_lists_of_the_linked_tags_questions(specialty):
    english = answered(tags=["headache"], specialty=specialty)
    link_holder = answered(tags=["頭痛"], specialty=specialty)
    link("頭痛", to="headache")
    newcomer = answered(tags=["headache"], specialty=specialty)
    with assert_similar_marked_stale([english.pk, link_holder.pk, newcomer.pk]):
        mark_similar_stale(question_id=newcomer.pk)


def test_deleting_a_topic_tag_reranks_the_lists_of_its_linked_tags(editor_client, specialty):
    chinese = answered(tags=["頭痛"], specialty=specialty)
    link("頭痛", to="headache")
    topic = Tag.objects.get(name="headache")
    with assert_similar_marked_stale([chinese.pk]), assert_pages_invalidated(all_pages=True):
        editor_client.post(reverse("admin:questions_tag_delete", args=[topic.pk]), {"post": "yes"})
    assert Tag.objects.get(name="頭痛").topic is None


# The admin keeps links one level deep -------------------------------------------------


def test_admin_refuses_links_to_itself_to_a_linked_tag_or_from_a_topic(editor_client):
    headache, chinese, other = (Tag.objects.create(name=n) for n in ("headache", "頭痛", "頭疼"))
    link("頭痛", to="headache")

    to_itself = change(editor_client, other, topic=other)
    to_a_linked_tag = change(editor_client, other, topic=chinese)
    topic_with_links = change(editor_client, headache, topic=other)

    assert "A tag cannot be linked to itself." in to_itself.content.decode()
    # Only tags that are topics of their own are offered (and accepted).
    assert "Select a valid choice" in to_a_linked_tag.content.decode()
    assert "Other tags are linked to this one" in topic_with_links.content.decode()
    assert Tag.objects.get(pk=other.pk).topic is None
    assert Tag.objects.get(pk=headache.pk).topic is None


def test_tag_list_shows_each_tags_topic(editor_client):
    Tag.objects.create(name="headache")
    Tag.objects.create(name="頭痛", topic=Tag.objects.get(name="headache"))
    page = editor_client.get(reverse("admin:questions_tag_changelist")).content.decode()
    assert "same topic as" in page.lower()
    assert "頭痛" in page


@pytest.mark.parametrize("role", ["patient", "doctor", "moderator"])
def test_only_editors_change_tag_topics(client, role, request):
    from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory

    user = {
        "patient": lambda: UserFactory(),
        "doctor": lambda: DoctorProfileFactory().user,
        "moderator": lambda: ModeratorFactory(),
    }[role]()
    sign_in(client, user)
    tag, topic = Tag.objects.create(name="頭痛"), Tag.objects.create(name="headache")
    response = change(client, tag, topic=topic)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("admin:login") in response.url
    assert Tag.objects.get(pk=tag.pk).topic is None
