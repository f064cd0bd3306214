"""The database drops while a patient sends a question: the question is stored whole or
not at all, and the patient gets the form back with everything typed and a clear 503."""

import re
from contextlib import ExitStack

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse

from questions import views
from questions.models import Question, Tag, TaggedQuestion
from questions.tests.ask_data import ask_data

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")
DATA = {
    "title": "Pounding headaches since I started night shifts",
    "body": "Since I began night shifts I wake up with a headache behind my eyes.",
    "nickname": "Nightowl",
    "tags": "shift work, headache",
}


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def fail_queries(stack: ExitStack, when=lambda sql: True):
    """From now on, every statement `when` matches fails as if the server had gone away."""

    def wrapper(execute, sql, params, many, context):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    stack.enter_context(connection.execute_wrapper(wrapper))


def assert_form_kept_everything(response, specialty) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "We could not save your question" in html
    assert "Your text is still here: please try sending it again" in html
    assert f'value="{DATA["title"]}"' in html
    assert DATA["body"] in html
    assert f'value="{DATA["nickname"]}"' in html
    assert f'value="{DATA["tags"]}"' in html
    assert f'<option value="{specialty.pk}" selected>{specialty.name}</option>' in html
    assert '<option value="30~39" selected>' in html
    assert re.search(r'<input type="radio" name="sex" value="female"[^>]* checked>', html)
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked>', html)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_ask_keeps_the_text_and_answers_503_when_saving_hits_a_database_error(
    patient_client, specialty, monkeypatch, error
):
    def submit_question(**kwargs):
        raise error("the database went away")

    monkeypatch.setattr(views, "submit_question", submit_question)
    response = patient_client.post(ASK, ask_data(specialty, **DATA))

    assert_form_kept_everything(response, specialty)
    assert not Question.objects.exists()


def test_ask_renders_the_kept_form_without_the_database(patient_client, specialty, monkeypatch):
    """The database is still down after the failed save: the page needs no query."""
    stack = ExitStack()

    def submit_question(**kwargs):
        fail_queries(stack)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "submit_question", submit_question)
    with stack:
        response = patient_client.post(ASK, ask_data(specialty, **DATA))

    assert_form_kept_everything(response, specialty)
    assert not Question.objects.exists()


def test_ask_stores_nothing_when_the_database_drops_half_way_through_saving(
    patient_client, specialty
):
    """The question row is written, then the tag links fail: the whole question is undone."""
    with ExitStack() as stack:
        fail_queries(stack, when=lambda sql: TaggedQuestion._meta.db_table in sql)
        response = patient_client.post(ASK, ask_data(specialty, **DATA))

    assert_form_kept_everything(response, specialty)
    assert not Question.objects.exists()
    assert not TaggedQuestion.objects.exists()
    assert not Tag.objects.filter(name="shift work").exists()


def test_ask_sends_the_kept_question_once_the_database_is_back(patient_client, specialty):
    with ExitStack() as stack:
        fail_queries(stack, when=lambda sql: sql.lstrip().upper().startswith("INSERT"))
        assert patient_client.post(ASK, ask_data(specialty, **DATA)).status_code == 503

    response = patient_client.post(ASK, ask_data(specialty, **DATA))
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:asked", args=[question.pk])
    assert (question.title, question.body) == (DATA["title"], DATA["body"])
    assert sorted(question.tags.names()) == ["headache", "shift work"]
