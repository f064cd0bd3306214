import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from answers.tests.factories import ReplyFactory
from forum.tests.outage import USER_CHECKING_MIDDLEWARE, database_down
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_pages_answer_503_when_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("could not connect")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("forum:home"))
    assert response.status_code == 503
    assert b"right back" in response.content


def test_pages_answer_503_when_a_middleware_meets_the_unreachable_database(settings, patient):
    """An error in a middleware's body never reaches process_exception: handler500 turns
    a lost database into the same friendly 503 (and anything else into the 500 page)."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, USER_CHECKING_MIDDLEWARE]
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    with database_down():
        response = client.get(reverse("forum:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"We will be right back" in response.content

    with database_down(error=RuntimeError):
        response = client.get(reverse("forum:home"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_home_lists_specialties_and_latest_answered_questions(client, specialty):
    answered = ReplyFactory(question__specialty=specialty).question
    unanswered = QuestionFactory(specialty=specialty, title="Nobody has answered this yet")
    pending = PendingQuestionFactory(specialty=specialty, title="Still waiting for moderators")
    response = client.get(reverse("forum:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert answered.get_absolute_url() in html
    assert unanswered.title not in html
    assert pending.title not in html
    assert 'href="/specialties/neurology/"' in html
    assert 'Neurology</a> <span class="count">(1)</span>' in html


def test_home_query_count_does_not_grow_with_rows(client, django_assert_num_queries, specialty):
    # specialties, answered counts (cached afterwards), latest answered, their tags
    ReplyFactory(question__specialty=specialty)
    with django_assert_num_queries(4):
        client.get(reverse("forum:home"))
    for _ in range(5):
        ReplyFactory(question__specialty=specialty)
    cache.clear()
    with django_assert_num_queries(4):
        client.get(reverse("forum:home"))
    with django_assert_num_queries(3):
        client.get(reverse("forum:home"))


def test_specialty_page_lists_answered_questions_and_verified_doctors(client, doctor, specialty):
    reply = ReplyFactory(doctor=doctor, question__specialty=specialty)
    response = client.get(specialty.get_absolute_url())
    html = response.content.decode()
    assert reply.question.title in html
    assert "Dr. Lin Mei-hua" in html


def test_unknown_specialty_is_404(client):
    assert client.get(reverse("forum:specialty", args=["no-such-thing"])).status_code == 404


def test_robots_txt_is_plain_text(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert b"Disallow: /admin/" in response.content
