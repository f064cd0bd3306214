"""Home, specialty and tag pages: what they list, paging edges, canonical links, queries."""

import pytest
from django.http import HttpResponse
from django.urls import include, path, reverse

from answers.tests.factories import ReplyFactory
from forum.site import icons
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from forum.urls import urlpatterns as site_urlpatterns
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory, TagFactory
from questions.urls import urlpatterns as question_urlpatterns

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [q.title for q in response.context["page_obj"].object_list]


def test_home_has_a_prominent_labelled_search_box(client):
    html = client.get(reverse("forum:home")).content.decode()
    assert '<label for="home-search">' in html
    assert f'action="{reverse("forum:search")}"' in html
    assert 'role="search"' in html


def test_home_has_a_canonical_link(client):
    html = client.get(reverse("forum:home")).content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_home_answered_counts_leave_out_unanswered_and_unpublished(client, doctor, specialty):
    ReplyFactory(doctor=doctor, question__specialty=specialty)
    ReplyFactory(doctor=doctor, question__specialty=specialty)
    QuestionFactory(specialty=specialty)
    ReplyFactory(doctor=doctor, question=PendingQuestionFactory(specialty=specialty))
    html = client.get(reverse("forum:home")).content.decode()
    assert 'Neurology</a> <span class="count">(2)</span>' in html


def _ask_view(request):
    return HttpResponse("ask")


# Until the ask flow is merged, this URLconf stands in for questions:ask.
urlpatterns = [
    path(
        "questions/",
        include(
            (question_urlpatterns + [path("new/", _ask_view, name="ask")], "questions"),
        ),
    ),
    *[p for p in site_urlpatterns if str(p.pattern) != "questions/"],
]


@pytest.mark.urls("forum.tests.test_list_pages")
def test_home_calls_to_ask_a_doctor(client):
    html = client.get(reverse("forum:home")).content.decode()
    assert "Can't find your answer?" in html
    ask = reverse("questions:ask")
    assert f'<a class="button" href="{ask}">{icons.icon("ask")}Ask a doctor</a>' in html


@pytest.fixture
def specialty_with_questions(doctor, specialty):
    for n in range(25):
        ReplyFactory(doctor=doctor, question__specialty=specialty, question__title=f"Tremor {n}")
    return specialty


@pytest.mark.parametrize(
    ("page", "expected_page", "expected_rows"),
    [("1", 1, 20), ("2", 2, 5), ("abc", 1, 20), ("0", 1, 20), ("-1", 1, 20), ("99999", 2, 5)],
)
def test_specialty_page_handles_bad_page_numbers(
    client, specialty_with_questions, page, expected_page, expected_rows
):
    response = client.get(specialty_with_questions.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_page
    assert len(titles(response)) == expected_rows
    canonical = "http://testserver/specialties/neurology/" + (
        "?page=2" if expected_page == 2 else ""
    )
    assert f'<link rel="canonical" href="{canonical}">' in response.content.decode()


def test_list_counts_stop_at_the_cap(client, doctor, specialty, monkeypatch):
    from forum import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    tag = TagFactory(name="numbness")
    for _ in range(5):
        ReplyFactory(doctor=doctor, question=QuestionFactory(specialty=specialty, tags=[tag]))
    response = client.get(specialty.get_absolute_url())
    assert '<span class="count">(3+)</span>' in response.content.decode()
    assert len(titles(response)) == 3
    response = client.get(tag.get_absolute_url())
    assert "3+ answered questions" in response.content.decode()


def test_specialty_page_lists_answered_questions_newest_answer_first(client, doctor, specialty):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    older = ReplyFactory(
        doctor=doctor, question__specialty=specialty, published_at=now - timedelta(days=3)
    ).question
    newer = ReplyFactory(
        doctor=doctor, question__specialty=specialty, published_at=now - timedelta(days=1)
    ).question
    QuestionFactory(specialty=specialty, title="Not answered yet")
    removed = ReplyFactory(doctor=doctor, question__specialty=specialty).question
    Question.objects.filter(pk=removed.pk).update(status=Question.Status.REMOVED)
    response = client.get(specialty.get_absolute_url())
    assert titles(response) == [newer.title, older.title]
    assert "(2)" in response.content.decode()


def test_specialty_page_lists_only_verified_doctors(client, doctor, specialty):
    DoctorProfileFactory(display_name="Suspended Sam", specialties=[specialty], status="suspended")
    html = client.get(specialty.get_absolute_url()).content.decode()
    assert "Dr. Lin Mei-hua" in html
    assert "Suspended Sam" not in html


def test_specialty_page_query_count_does_not_grow_with_rows(
    client, doctor, specialty, django_assert_num_queries
):
    # specialty, count, page rows, their tags, doctors
    ReplyFactory(doctor=doctor, question__specialty=specialty)
    with django_assert_num_queries(5):
        client.get(specialty.get_absolute_url())
    other = SpecialtyFactory()
    for n in range(25):
        question = QuestionFactory(specialty=specialty, tags=[f"tag {n}", "shared"])
        ReplyFactory(doctor=doctor, question=question)
        DoctorProfileFactory(specialties=[specialty, other])
    with django_assert_num_queries(5):
        client.get(specialty.get_absolute_url(), {"page": 2})


@pytest.fixture
def tag_with_questions(doctor):
    tag = TagFactory(name="tremor")
    for n in range(25):
        ReplyFactory(doctor=doctor, question=QuestionFactory(title=f"Shaky hands {n}", tags=[tag]))
    return tag


@pytest.mark.parametrize(
    ("page", "expected_page", "expected_rows"),
    [("1", 1, 20), ("2", 2, 5), ("abc", 1, 20), ("0", 1, 20), ("-1", 1, 20), ("99999", 2, 5)],
)
def test_tag_page_handles_bad_page_numbers(
    client, tag_with_questions, page, expected_page, expected_rows
):
    response = client.get(tag_with_questions.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_page
    assert len(titles(response)) == expected_rows


def test_tag_page_lists_only_published_answered_questions(client, doctor):
    tag = TagFactory(name="sleep")
    answered = ReplyFactory(doctor=doctor, question=QuestionFactory(tags=[tag])).question
    QuestionFactory(tags=[tag], title="Unanswered sleep question")
    ReplyFactory(doctor=doctor, question=PendingQuestionFactory(tags=[tag], title="Pending one"))
    response = client.get(tag.get_absolute_url())
    assert titles(response) == [answered.title]
    html = response.content.decode()
    assert "Unanswered sleep question" not in html
    assert "Pending one" not in html
    assert "1 answered question," in html


def test_tag_page_query_count_does_not_grow_with_rows(client, doctor, django_assert_num_queries):
    # tag, count, page rows, their tags
    tag = TagFactory(name="cough")
    ReplyFactory(doctor=doctor, question=QuestionFactory(tags=[tag]))
    with django_assert_num_queries(4):
        client.get(tag.get_absolute_url())
    for n in range(25):
        ReplyFactory(doctor=doctor, question=QuestionFactory(tags=[tag, f"extra {n}"]))
    with django_assert_num_queries(4):
        client.get(tag.get_absolute_url(), {"page": 2})


def test_unknown_tag_is_404(client):
    assert client.get(reverse("questions:tag", args=["no-such-tag"])).status_code == 404


def test_list_excerpts_cut_chinese_at_sentence_punctuation(client, doctor, specialty):
    body = "我最近每天早上起床都頭痛，吃止痛藥也沒有用。" * 4 + "請問需要做什麼檢查？" * 10
    ReplyFactory(doctor=doctor, question__specialty=specialty, question__body=body)
    html = client.get(specialty.get_absolute_url()).content.decode()
    # 180 characters at most, ended after the last 。 that fits, not inside a sentence.
    expected = "我最近每天早上起床都頭痛，吃止痛藥也沒有用。" * 4 + "請問需要做什麼檢查？" * 9
    assert len(expected) < 180
    assert f'<p class="excerpt" lang="zh-hant">{expected[:-1]}…</p>' in html
