from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.sites import site

from answers.actions import approve_reply, merge_tags
from answers.models import Reply
from answers.page_data import compute_similar, excerpt, load_question, similar_questions
from answers.tests.factories import ArticleFactory, FAQFactory, ReplyFactory
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from questions.actions import set_question_tags
from questions.models import Question, Tag
from questions.similar import mark_similar_stale
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def answered(*, tags, specialty, days_ago=0, **kwargs) -> Question:
    """A published question with tags, answered `days_ago` days before DAY."""
    question = QuestionFactory(specialty=specialty, tags=tags, **kwargs)
    question.answered_at = DAY - timedelta(days=days_ago)
    question.save(update_fields=["answered_at"])
    return question


def tag_ids(question: Question) -> list[int]:
    return list(question.tags.values_list("pk", flat=True))


def ranked(question: Question, **kwargs) -> list[int]:
    items = compute_similar(
        question_id=question.pk,
        specialty_id=question.specialty_id,
        tag_ids=tag_ids(question),
        **kwargs,
    )
    return [item["id"] for item in items]


def test_similar_ranks_by_shared_tags_then_specialty_then_recency_then_id(specialty):
    other = SpecialtyFactory(name="Cardiology", slug="cardiology")
    page = answered(tags=["a", "b", "c"], specialty=specialty)
    all_three_old_other = answered(tags=["a", "b", "c", "z"], specialty=other, days_ago=900)
    two_same_older = answered(tags=["a", "b"], specialty=specialty, days_ago=30)
    two_other_newest = answered(tags=["b", "c"], specialty=other, days_ago=0)
    one_same_tie_low_id = answered(tags=["a"], specialty=specialty, days_ago=5)
    one_same_tie_high_id = answered(tags=["c", "y"], specialty=specialty, days_ago=5)
    one_other_newest = answered(tags=["b"], specialty=other, days_ago=1)

    assert ranked(page, limit=10) == [
        all_three_old_other.pk,
        two_same_older.pk,
        two_other_newest.pk,
        one_same_tie_high_id.pk,
        one_same_tie_low_id.pk,
        one_other_newest.pk,
    ]
    items = similar_questions(question=page, tag_ids=tag_ids(page))
    assert [item["url"] for item in items] == [
        q.get_absolute_url()
        for q in [all_three_old_other, two_same_older, two_other_newest, one_same_tie_high_id]
    ]


def test_similar_never_lists_self_unpublished_unanswered_or_untagged_overlap(specialty):
    page = answered(tags=["migraine", "sleep"], specialty=specialty)
    listed = answered(tags=["migraine"], specialty=specialty)
    QuestionFactory(specialty=specialty, tags=["migraine", "sleep"])  # not answered
    for status in [Question.Status.PENDING, Question.Status.REJECTED, Question.Status.REMOVED]:
        hidden = answered(tags=["migraine", "sleep"], specialty=specialty)
        Question.objects.filter(pk=hidden.pk).update(status=status)
    PendingQuestionFactory(specialty=specialty, tags=["migraine", "sleep"])
    answered(tags=["knee pain"], specialty=specialty)  # shares no tag

    assert ranked(page, limit=10) == [listed.pk]


def test_similar_is_empty_for_a_question_without_tags(specialty, django_assert_num_queries):
    page = answered(tags=[], specialty=specialty)
    answered(tags=["migraine"], specialty=specialty)
    with django_assert_num_queries(0):
        assert similar_questions(question=page, tag_ids=[]) == []


def test_similar_candidates_per_tag_are_bounded_to_the_newest(specialty):
    """Past CANDIDATES_PER_TAG a common tag's list holds only its newest questions; a rare
    tag's list is complete, so an old question sharing it is still found."""
    page = answered(tags=["common", "rare"], specialty=specialty)
    old_common_only = answered(tags=["common"], specialty=specialty, days_ago=400)
    old_rare = answered(tags=["rare"], specialty=specialty, days_ago=500)
    newer = [answered(tags=["common"], specialty=specialty, days_ago=n) for n in range(3)]

    assert old_common_only.pk in ranked(page, limit=10)
    bounded = ranked(page, limit=10, per_tag=3)
    assert old_common_only.pk not in bounded
    assert set(bounded) == {old_rare.pk, *(q.pk for q in newer)}


def test_similar_items_show_own_title_excerpts_and_first_doctor_line(specialty):
    page = answered(tags=["tremor"], specialty=specialty)
    other = QuestionFactory(
        specialty=specialty, tags=["tremor"], title="Hands shake when I hold a cup", body="x " * 300
    )
    first_doctor = DoctorProfileFactory(display_name="Peng Shih-wei", specialties=[specialty])
    ReplyFactory(question=other, doctor=first_doctor, body="Please keep a diary. " * 30)
    ReplyFactory(question=other, body="A later reply.")
    ReplyFactory(question=other, status=Reply.Status.HELD, body="Held reply.")
    ArticleFactory(title="Tremor: causes and care").questions.add(other)
    ArticleFactory(title="Draft article", status="draft").questions.add(other)

    [item] = similar_questions(question=page, tag_ids=tag_ids(page))
    # Its own title, not its article's: questions sharing an article stay told apart.
    assert item["title"] == "Hands shake when I hold a cup"
    assert item["url"] == other.get_absolute_url()
    assert item["doctor_name"] == "Peng Shih-wei"
    assert item["doctor_url"] == first_doctor.get_absolute_url()
    assert item["specialty"] == "Neurology"
    assert item["reply_excerpt"].startswith("Please keep a diary.")
    assert len(item["reply_excerpt"]) <= 220 and item["reply_excerpt"].endswith("…")
    assert len(item["excerpt"]) <= 220


def test_similar_list_is_stored_then_read_in_one_query_until_marked_stale(
    specialty, django_assert_num_queries
):
    page = answered(tags=["cough"], specialty=specialty)
    other = answered(tags=["cough"], specialty=specialty)
    ids = tag_ids(page)
    first = similar_questions(question=page, tag_ids=ids)
    page.refresh_from_db()
    assert page.similar_ids == [other.pk]
    newcomer = answered(tags=["cough"], specialty=specialty, days_ago=-1)
    with django_assert_num_queries(1):
        assert similar_questions(question=page, tag_ids=ids) == first
    # What answering the newcomer does: its list and its neighbours' are ranked anew.
    assert mark_similar_stale(question_id=newcomer.pk) == 3
    page.refresh_from_db()
    assert page.similar_ids is None
    fresh = similar_questions(question=page, tag_ids=ids)
    assert [item["id"] for item in fresh] == [newcomer.pk, other.pk]


def test_marking_stale_reaches_only_the_newest_questions_of_each_tag(specialty, monkeypatch):
    monkeypatch.setattr("questions.similar.CANDIDATES_PER_TAG", 2)
    oldest, older, newer = (answered(tags=["cough"], specialty=specialty) for _ in range(3))
    rare = answered(tags=["rare"], specialty=specialty)
    changed = answered(tags=["cough", "rare"], specialty=specialty)
    Question.objects.update(similar_ids=[])
    assert mark_similar_stale(question_id=changed.pk, tag_ids=[]) == 3
    stale = set(Question.objects.filter(similar_ids__isnull=True).values_list("pk", flat=True))
    assert stale == {changed.pk, newer.pk, rare.pk}
    assert {oldest.pk, older.pk}.isdisjoint(stale)


def test_a_listed_question_that_leaves_is_replaced_on_the_next_read(specialty):
    page = answered(tags=["rash"], specialty=specialty)
    fifth = answered(tags=["rash"], specialty=specialty, days_ago=9)
    listed = [answered(tags=["rash"], specialty=specialty, days_ago=n) for n in range(4)]
    assert [i["id"] for i in similar_questions(question=page, tag_ids=tag_ids(page))] == [
        q.pk for q in listed
    ]
    Question.objects.filter(pk=listed[1].pk).update(status=Question.Status.REMOVED)
    Question.objects.filter(pk=listed[2].pk).update(answered_at=None)
    page.refresh_from_db()
    expected = [listed[0].pk, listed[3].pk, fifth.pk]
    assert [i["id"] for i in similar_questions(question=page, tag_ids=tag_ids(page))] == expected
    page.refresh_from_db()
    assert page.similar_ids == expected


def test_related_faqs_are_published_faqs_sharing_most_tags_at_most_five():
    both = FAQFactory(question="Is a morning headache linked to sleep?")
    both.tags.add("headache", "sleep")
    hidden = FAQFactory(is_published=False)
    hidden.tags.add("headache", "sleep")
    unrelated = FAQFactory()
    unrelated.tags.add("knee pain")
    singles = []
    for position in range(6):
        faq = FAQFactory(position=position)
        faq.tags.add("headache")
        singles.append(faq)
    page = QuestionFactory(tags=["headache", "sleep"])

    faqs = load_question(page.pk).page_faqs
    assert faqs == [both, *singles[:4]]
    assert faqs[0].question == "Is a morning headache linked to sleep?"


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("Short  text\nhere", 40, "Short text here"),
        ("One two three four five", 12, "One two…"),
        ("One two, three four", 10, "One two…"),
        ("Unbreakablewordthatgoeson", 10, "Unbreakab…"),
        ("Exactly ten", 11, "Exactly ten"),
        # Chinese: after the sentence mark in the last half, else between characters.
        ("我最近頭痛很嚴重。已經持續兩個禮拜了每天早上都會痛", 16, "我最近頭痛很嚴重…"),
        ("已經持續兩個禮拜了每天早上起床都會痛", 10, "已經持續兩個禮拜了…"),
        ("MRI 檢查結果正常，醫師說不用擔心但要追蹤", 12, "MRI 檢查結果正常…"),
        ("頭痛\n\n  發燒", 40, "頭痛 發燒"),
    ],
)
def test_excerpt_cuts_at_a_word_and_marks_the_cut(text, length, expected):
    result = excerpt(text, length)
    assert result == expected
    assert len(result) <= length


def stale_ids() -> set[int]:
    return set(Question.objects.filter(similar_ids__isnull=True).values_list("pk", flat=True))


def test_retagging_ranks_the_lists_of_its_old_and_new_neighbours_anew(specialty, editor):
    old_neighbour = answered(tags=["cough"], specialty=specialty)
    new_neighbour = answered(tags=["fever"], specialty=specialty)
    unrelated = answered(tags=["rash"], specialty=specialty)
    question = answered(tags=["cough"], specialty=specialty)
    Question.objects.update(similar_ids=[])
    set_question_tags(question=question, tags=["fever"], editor=editor)
    assert stale_ids() == {question.pk, old_neighbour.pk, new_neighbour.pk}
    assert unrelated.pk not in stale_ids()


def test_publishing_a_first_reply_ranks_the_neighbours_lists_anew(specialty, moderator):
    neighbour = answered(tags=["cough"], specialty=specialty)
    unrelated = answered(tags=["rash"], specialty=specialty)
    question = QuestionFactory(specialty=specialty, tags=["cough"])
    held = ReplyFactory(question=question, status=Reply.Status.HELD)
    Question.objects.update(similar_ids=[])
    approve_reply(reply=held, moderator=moderator)
    assert stale_ids() == {question.pk, neighbour.pk}
    assert unrelated.pk not in stale_ids()


def test_merging_or_deleting_tags_ranks_their_questions_lists_anew(specialty, editor):
    keep_side = answered(tags=["headache"], specialty=specialty)
    merged_side = answered(tags=["head ache"], specialty=specialty)
    unrelated = answered(tags=["rash"], specialty=specialty)
    Question.objects.update(similar_ids=[])
    merge_tags(
        keep=Tag.objects.get(name="headache"),
        merge=[Tag.objects.get(name="head ache")],
        actor=editor,
    )
    assert stale_ids() == {keep_side.pk, merged_side.pk}

    Question.objects.update(similar_ids=[])
    tag_admin = site._registry[Tag]
    tag_admin.delete_queryset(None, Tag.objects.filter(name="rash"))
    assert stale_ids() == {unrelated.pk}
