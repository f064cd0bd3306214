"""The ask flow asks again for consent when the privacy notice or terms changed
(forum/legal.py), and the patient pages read in Traditional Chinese."""

import pytest
from django.urls import reverse
from django.utils import translation

from forum import legal
from forum.models import Consent
from forum.tests.factories import UserFactory
from questions.forms import AskForm
from questions.models import Question
from questions.tests.ask_data import ask_data
from questions.tests.factories import PendingQuestionFactory

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")


@pytest.fixture
def old_patient(client):
    """An account from before the documents had versions: no consent on record."""
    user = UserFactory(consented=False)
    client.force_login(user)
    return user


def test_a_patient_with_current_consent_is_not_asked_again(client, patient):
    client.force_login(patient)
    html = client.get(ASK).text
    assert 'name="privacy_consent"' not in html
    assert f'href="{reverse("forum:privacy")}"' in html  # the note still links the notice


def test_a_patient_without_consent_is_asked_and_nothing_typed_is_lost(
    client, old_patient, specialty
):
    html = client.get(ASK).text
    assert 'name="privacy_consent"' in html
    response = client.post(ASK, ask_data(specialty, title="Knee pain after running"))
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert "Please agree to the privacy notice and the terms of use" in response.text
    assert 'value="Knee pain after running"' in response.text


def test_agreeing_on_the_ask_form_records_the_current_versions(client, old_patient, specialty):
    response = client.post(ASK, ask_data(specialty, privacy_consent="on"))
    assert response.status_code == 302
    assert Question.objects.filter(author=old_patient).count() == 1
    assert set(Consent.objects.filter(user=old_patient).values_list("document", "version")) == {
        ("privacy", legal.PRIVACY_VERSION),
        ("terms", legal.TERMS_VERSION),
    }
    assert 'name="privacy_consent"' not in client.get(ASK).text


def test_a_new_version_of_the_notice_asks_again(client, patient, monkeypatch):
    client.force_login(patient)
    monkeypatch.setitem(legal.CURRENT_VERSIONS, Consent.Document.PRIVACY, "2099-01-01")
    assert 'name="privacy_consent"' in client.get(ASK).text


def test_editing_a_question_never_asks_for_consent(client, old_patient):
    question = PendingQuestionFactory(author=old_patient)
    html = client.get(reverse("questions:edit", args=[question.pk])).text
    assert 'name="privacy_consent"' not in html and 'name="consent"' not in html


# --- Traditional Chinese ------------------------------------------------------------


def test_the_ask_form_reads_in_chinese(client, patient, specialty):
    client.force_login(patient)
    html = client.get("/zh-hant" + ASK).text
    with translation.override("zh-hant"):
        form = AskForm(author=patient)
        age_labels = {k: str(v) for k, v in form.fields["age_range"].choices}
        sex_labels = {k: str(v) for k, v in form.fields["sex"].choices}
    assert "暱稱" in html
    assert "送出" in html
    assert "<h1>Ask a doctor</h1>" not in html
    assert age_labels["10~19"] == "10~19歲"
    assert sex_labels["female"] == "女性"


def test_a_validation_error_is_in_chinese_and_keeps_the_text(client, patient, specialty):
    client.force_login(patient)
    response = client.post(
        "/zh-hant" + ASK, ask_data(specialty, nickname="", title="膝蓋跑步後疼痛")
    )
    assert response.status_code == 200
    assert "請選擇暱稱" in response.text
    assert 'value="膝蓋跑步後疼痛"' in response.text


def test_my_questions_reads_in_chinese(client, patient):
    PendingQuestionFactory(author=patient, title="Knee pain after running")
    client.force_login(patient)
    html = client.get("/zh-hant" + reverse("questions:mine")).text
    assert "我的提問" in html
    assert "等待審核" in html
    assert "刪除我的帳號" in html
