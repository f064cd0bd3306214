import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from answers.tests.factories import ReplyFactory
from forum.tests.factories import SpecialtyFactory
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def mixed_questions(doctor, specialty):
    """One answered question per state that must or must not appear in feeds."""
    answered = ReplyFactory(doctor=doctor, question__title="Answered about sleep").question
    ReplyFactory(doctor=doctor, question=QuestionFactory(title="Removed but answered"))
    Question.objects.filter(title="Removed but answered").update(status=Question.Status.REMOVED)
    ReplyFactory(doctor=doctor, question=PendingQuestionFactory(title="Pending but answered"))
    QuestionFactory(title="Published, not answered")
    return answered


def test_rss_feed_lists_only_published_answered_questions(client, mixed_questions):
    response = client.get(reverse("forum:feed-rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(response) == ["Answered about sleep"]
    assert mixed_questions.get_absolute_url() in response.content.decode()


def test_atom_feed_lists_only_published_answered_questions(client, mixed_questions):
    response = client.get(reverse("forum:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_titles(response) == ["Answered about sleep"]


def test_feeds_put_the_newest_answer_first(client, doctor):
    from datetime import timedelta

    from django.utils import timezone

    older = ReplyFactory(doctor=doctor, published_at=timezone.now() - timedelta(days=2))
    newer = ReplyFactory(doctor=doctor, published_at=timezone.now() - timedelta(days=1))
    response = client.get(reverse("forum:feed-rss"))
    assert rss_titles(response) == [newer.question.title, older.question.title]


def test_specialty_feeds_list_only_that_specialty(client, doctor, specialty):
    other = SpecialtyFactory(name="Urology", slug="urology")
    mine = ReplyFactory(doctor=doctor, question__specialty=specialty).question
    ReplyFactory(doctor=doctor, question__specialty=other)
    rss = client.get(reverse("forum:specialty-feed-rss", args=[specialty.slug]))
    atom = client.get(reverse("forum:specialty-feed-atom", args=[specialty.slug]))
    assert rss_titles(rss) == [mine.title]
    assert atom_titles(atom) == [mine.title]
    assert "Neurology" in ET.fromstring(rss.content).findtext("channel/title")


def test_specialty_feed_of_unknown_specialty_is_404(client):
    response = client.get(reverse("forum:specialty-feed-rss", args=["no-such-specialty"]))
    assert response.status_code == 404


def test_feed_query_count_does_not_grow_with_rows(client, doctor, django_assert_num_queries):
    ReplyFactory(doctor=doctor)
    with django_assert_num_queries(1):
        client.get(reverse("forum:feed-rss"))
    for _ in range(5):
        ReplyFactory(doctor=doctor)
    with django_assert_num_queries(1):
        response = client.get(reverse("forum:feed-rss"))
    assert len(rss_titles(response)) == 6


def test_home_and_specialty_pages_link_their_feeds(client, specialty):
    home = client.get(reverse("forum:home")).content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in home
    assert f'href="{reverse("forum:feed-atom")}"' in home
    page = client.get(specialty.get_absolute_url()).content.decode()
    assert f'href="{reverse("forum:specialty-feed-rss", args=[specialty.slug])}"' in page
    assert f'href="{reverse("forum:specialty-feed-atom", args=[specialty.slug])}"' in page


def test_feed_descriptions_cut_chinese_by_characters(client, doctor):
    body = "胸悶、心悸好幾個禮拜了，晚上睡不好" * 40
    ReplyFactory(doctor=doctor, question__body=body)
    root = ET.fromstring(client.get(reverse("forum:feed-rss")).content)
    [description] = [item.findtext("description") for item in root.iter("item")]
    assert len(description) <= 400 and description.endswith("…")
    assert body.startswith(description[:-1].rstrip("，、"))
