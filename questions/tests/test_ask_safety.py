"""Red flags before Send: the screening endpoint the ask form calls as the patient types,
and the "Are you safe right now?" step that a question with red flags passes first."""

import json
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from forum.tests.factories import UserFactory
from questions.models import Question
from questions.tests.ask_data import ask_data

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")
SCREEN = reverse("questions:screen-text")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture(autouse=True)
def _numbers(settings):
    settings.EMERGENCY_NUMBER = "119"
    settings.CRISIS_LINE_NUMBER = "1925"
    settings.POISON_CONTROL_NUMBER = "02-2871-7121"


def _numbers_of(data, category):
    notice = next(n for n in data["notices"] if n["category"] == category)
    return [n["number"] for n in notice["numbers"]]


# --- the endpoint --------------------------------------------------------------------


def test_screening_endpoint_returns_the_categories_and_what_to_call(patient_client):
    response = patient_client.post(
        SCREEN, {"title": "Help", "body": "I took 30 sleeping pills and I want to die."}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["categories"] == ["poisoning", "suicide"]
    assert _numbers_of(data, "suicide") == ["1925", "119"]
    assert _numbers_of(data, "poisoning") == ["119", "02-2871-7121"]
    suicide = next(n for n in data["notices"] if n["category"] == "suicide")
    assert suicide["label"] == "Suicidal thoughts"
    assert "suicide-prevention line" in suicide["text"]


def test_screening_endpoint_reads_chinese_and_leaves_ordinary_text_alone(patient_client):
    data = patient_client.post(SCREEN, {"title": "", "body": "阿公突然嘴歪，講話不清楚"}).json()
    assert data["categories"] == ["stroke"]
    assert _numbers_of(data, "stroke") == ["119"]
    calm_text = "我沒有胸痛，三年前中風過，後來好了。"
    calm = patient_client.post(SCREEN, {"title": "頭痛", "body": calm_text})
    assert calm.json() == {"categories": [], "notices": []}


def test_screening_endpoint_is_for_those_who_may_ask(client):
    response = client.post(SCREEN, {"body": "chest pain"})
    assert response.status_code == 403
    assert "Sign in" in response.json()["error"]
    client.force_login(UserFactory(email="new@example.org", verified_email=False))
    assert client.post(SCREEN, {"body": "chest pain"}).status_code == 403


def test_screening_endpoint_needs_the_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    assert client.post(SCREEN, {"body": "chest pain"}).status_code == 403
    # The script sends the token of the page's form (the cookie is HttpOnly) as a header.
    html = client.get(ASK).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(SCREEN, {"body": "chest pain"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json()["categories"] == ["chest_pain"]


def test_screening_endpoint_refuses_get_and_text_longer_than_a_question(patient_client):
    assert patient_client.get(SCREEN).status_code == 405
    response = patient_client.post(SCREEN, {"title": "x", "body": "chest pain " * 1000})
    assert response.status_code == 400
    assert "longer than a question" in response.json()["error"]
    response = patient_client.post(SCREEN, {"title": "t" * 151, "body": "chest pain"})
    assert response.status_code == 400


def test_screening_endpoint_is_rate_limited_per_patient(patient_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "screen_text": "3/m/user"}
    statuses = [patient_client.post(SCREEN, {"body": "chest pain"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = patient_client.post(SCREEN, {"body": "x"})
    assert "wait a minute" in json.loads(refused.content)["error"]


def test_the_ask_page_points_its_script_at_the_endpoint(patient_client):
    html = patient_client.get(ASK).content.decode()
    assert f'data-screen-url="{SCREEN}"' in html
    assert 'id="live-emergency"' in html
    assert "<script>" not in html  # the notice is drawn by static/js/ask.js, no inline script


# --- "Are you safe right now?" ----------------------------------------------------------


def test_red_flags_stop_the_first_send_on_a_page_with_the_numbers_first(patient_client, specialty):
    body = "My mother swallowed a whole bottle of pills and now she is not responding."
    response = patient_client.post(ASK, ask_data(specialty, body=body))
    assert response.status_code == 200
    assert not Question.objects.exists()
    html = response.content.decode()
    assert "Are you safe right now?" in html
    numbers = [html.index('href="tel:119"'), html.index('href="tel:02-2871-7121"')]
    assert max(numbers) < html.index('id="ask-form"')
    assert "Poisoning or overdose." in html
    assert "Collapse or unresponsiveness." in html
    # Everything typed is kept, and the button says what it does.
    assert body in html
    assert 'value="Headache every morning for two weeks"' in html
    assert '<input type="hidden" name="confirm_urgent" value="1">' in html
    assert "I am safe: send my question" in html


def test_sending_from_the_safety_step_saves_the_question_marked_urgent(patient_client, specialty):
    body = "我爸爸剛剛在客廳突然昏倒，現在怎麼叫都叫不醒，我們已經試了好幾分鐘，請問怎麼辦？"
    data = ask_data(specialty, body=body)
    patient_client.post(ASK, data)
    response = patient_client.post(ASK, {**data, "confirm_urgent": "1"})
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:asked", kwargs={"pk": question.pk})
    assert question.is_urgent
    assert [f["kind"] for f in question.screening["red_flags"]] == ["collapse"]
    assert question.urgent_reasons == ["Collapse or unresponsiveness"]
    done = patient_client.get(response.url).content.decode()
    assert "Your question is saved and marked urgent for moderators and doctors." in done


def test_a_question_without_red_flags_is_sent_at_once(patient_client, specialty):
    response = patient_client.post(ASK, ask_data(specialty))
    assert response.status_code == 302
    assert not Question.objects.get().is_urgent


def test_the_safety_step_does_not_skip_the_other_checks(patient_client, specialty):
    body = "I have chest pain, call me on 0912-345-678."
    response = patient_client.post(ASK, ask_data(specialty, body=body, confirm_urgent="1"))
    assert response.status_code == 200
    assert "“0912-345-678” (phone number)" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize("fragment", ["chest pain no ", "不沒有胸痛三年前又", "took 30 a ", "@a1 "])
def test_screening_endpoint_answers_fast_for_the_longest_hostile_text(patient_client, fragment):
    body = (fragment * 5000)[:5000]
    start = time.perf_counter()
    response = patient_client.post(SCREEN, {"title": fragment[:150], "body": body})
    assert time.perf_counter() - start < 2.5
    assert response.status_code == 200
