"""The database drops while a patient sends a question, or is already down when they press
Send: the question is stored whole or not at all, and the patient gets the form back with
everything typed and a clear 503."""

import re
from contextlib import ExitStack

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from forum.tests.outage import USER_CHECKING_MIDDLEWARE, database_down
from questions.models import Question, Tag, TaggedQuestion
from questions.tests.ask_data import ask_data
from questions.views import asking as views

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


# --- The database is already down when the patient presses Send -----------------------
# The first query is the session lookup of login_required (the security middleware
# treats an unreadable session as signed out), so the view never runs; the form comes
# back from the POST data alone.

KEPT_SPECIALTY = "The specialty you chose"


def assert_form_kept_what_was_posted(response, data: dict) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "We could not save your question" in html
    assert "Your text is still here: please try sending it again" in html
    assert f'<option value="{data["specialty"]}" selected>{KEPT_SPECIALTY}</option>' in html
    assert '<option value="30~39" selected>' in html
    assert re.search(r'<input type="radio" name="sex" value="female"[^>]* checked>', html)
    assert re.search(r'<input type="radio" name="subject" value="self"[^>]* checked>', html)
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked>', html)
    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+">', html)
    return html


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_ask_keeps_the_text_when_the_database_is_down_before_the_view(
    patient_client, specialty, caplog, error
):
    data = ask_data(specialty, **DATA)
    with database_down(error) as tried:
        response = patient_client.post(ASK, data)

    html = assert_form_kept_what_was_posted(response, data)
    assert f'value="{DATA["title"]}"' in html
    assert DATA["body"] in html
    assert f'value="{DATA["nickname"]}"' in html
    assert f'value="{DATA["tags"]}"' in html
    # Only the session lookup was tried (by login_required, and by the security
    # middleware, which then treats the visitor as signed out). Every statement fails,
    # so the kept form, coming back at all, was built without the database; its header
    # shows no links it would need the database to check.
    assert tried and all("django_session" in sql for sql in tried)
    assert reverse("questions:mine") not in html
    assert not Question.objects.exists()
    assert DATA["body"] not in caplog.text
    assert DATA["title"] not in caplog.text


def test_ask_keeps_the_text_when_the_database_drops_while_checking_the_form(
    patient_client, specialty
):
    """The patient was loaded, then the tag lookup of the form's validation fails."""
    data = ask_data(specialty, **DATA)
    with ExitStack() as stack:
        fail_queries(stack, when=lambda sql: Tag._meta.db_table in sql)
        response = patient_client.post(ASK, data)

    html = assert_form_kept_what_was_posted(response, data)
    assert DATA["body"] in html
    assert not Question.objects.exists()


def test_ask_kept_form_sends_the_question_once_the_database_is_back(patient, specialty):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', client.get(ASK).text)[1]
    data = ask_data(specialty, **DATA)

    with database_down():
        down = client.post(ASK, {**data, "csrfmiddlewaretoken": token})
    html = assert_form_kept_what_was_posted(down, data)
    assert not Question.objects.exists()

    # The kept form's token is good (CSRF checks the cookie, not the database).
    kept_token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)[1]
    response = client.post(ASK, {**data, "csrfmiddlewaretoken": kept_token})
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:asked", args=[question.pk])
    assert (question.title, question.body) == (DATA["title"], DATA["body"])


def test_ask_kept_form_escapes_what_was_typed(patient_client, specialty):
    data = ask_data(
        specialty,
        title="<script>alert(1)</script> headache",
        body='"><img src=x onerror=alert(2)> ' + DATA["body"],
        nickname='"><b>x</b>',
        tags="</textarea><script>alert(3)</script>",
        specialty='"><script>alert(4)</script>',
    )
    with database_down():
        response = patient_client.post(ASK, data)

    html = response.content.decode()
    assert response.status_code == 503
    assert "Your text is still here" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>x</b>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; headache"' in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in html


def test_other_requests_get_the_generic_503_while_the_database_is_down(patient_client, specialty):
    requests = [
        ("get", ASK),
        ("post", reverse("questions:resend-verification")),
        ("get", reverse("forum:home")),
    ]
    with database_down():
        for method, url in requests:
            response = getattr(patient_client, method)(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert b"We will be right back" in response.content
            assert b"Your text is still here" not in response.content


def test_ask_keeps_the_text_when_a_middleware_meets_the_database_down_first(
    settings, patient, specialty
):
    """A middleware's own body fails (Django answers through handler500 then, not
    process_exception): the patient still gets the form back."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, USER_CHECKING_MIDDLEWARE]
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    data = ask_data(specialty, **DATA)
    with database_down():
        response = client.post(ASK, data)

    html = assert_form_kept_what_was_posted(response, data)
    assert DATA["body"] in html
    assert not Question.objects.exists()


@pytest.mark.parametrize("extra_middleware", [[], [USER_CHECKING_MIDDLEWARE]])
def test_ask_does_not_echo_a_forged_post_while_the_database_is_down(
    settings, patient, specialty, extra_middleware
):
    """A post without a valid CSRF token gets the generic page, never a form filled in
    by another site (CSRF has not run yet when a middleware body fails)."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, *extra_middleware]
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(patient)
    with database_down():
        response = client.post(ASK, ask_data(specialty, **DATA))

    assert response.status_code == 503
    assert b"We will be right back" in response.content
    assert DATA["body"].encode() not in response.content
