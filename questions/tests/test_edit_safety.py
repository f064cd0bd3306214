"""Editing a pending question is screened as asking is: personal data blocks the save
with the text kept, red flags show "Are you safe right now?" first (issue 17)."""

import pytest
from django.urls import reverse

from questions.models import Question
from questions.tests.ask_data import ask_data
from questions.tests.factories import PendingQuestionFactory

pytestmark = pytest.mark.django_db

RED_FLAG_BODY = "Since an hour ago I have chest pain going to my left arm and I feel sick."


@pytest.fixture
def pending(patient):
    return PendingQuestionFactory(author=patient, body="A dull headache every morning " * 3)


def _edit(client, question, **overrides):
    data = ask_data(question.specialty, consent=None, **overrides)
    return client.post(reverse("questions:edit", args=[question.pk]), data)


def test_red_flags_in_an_edit_show_the_safety_step_and_save_nothing(client, patient, pending):
    client.force_login(patient)
    response = _edit(client, pending, body=RED_FLAG_BODY)
    assert response.status_code == 200
    html = response.text
    assert "Are you safe right now?" in html
    assert "I am safe: save my changes" in html
    assert 'name="confirm_urgent" value="1"' in html
    assert RED_FLAG_BODY in html  # what was typed is still in the form
    pending.refresh_from_db()
    assert pending.body != RED_FLAG_BODY and not pending.is_urgent


def test_confirming_saves_the_edit_marked_urgent(client, patient, pending):
    client.force_login(patient)
    response = _edit(client, pending, body=RED_FLAG_BODY, confirm_urgent="1")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.body == RED_FLAG_BODY
    assert pending.is_urgent
    assert pending.status == Question.Status.PENDING


def test_personal_data_in_an_edit_is_refused_with_the_text_kept(client, patient, pending):
    client.force_login(patient)
    body = "Call me on 0912-345-678 about my headache every morning, it is getting worse."
    response = _edit(client, pending, body=body)
    assert response.status_code == 200
    assert "To protect your privacy" in response.text
    assert "0912-345-678" in response.text
    pending.refresh_from_db()
    assert "0912" not in pending.body


def test_the_edit_page_warns_while_typing(client, patient, pending):
    client.force_login(patient)
    html = client.get(reverse("questions:edit", args=[pending.pk])).text
    assert f'data-screen-url="{reverse("questions:screen-text")}"' in html


def test_only_the_author_reaches_the_edit_page(client, pending, doctor):
    url = reverse("questions:edit", args=[pending.pk])
    assert client.get(url).status_code == 302  # anonymous: to log-in
    client.force_login(doctor.user)
    assert client.post(url, ask_data(pending.specialty, body=RED_FLAG_BODY)).status_code == 404
