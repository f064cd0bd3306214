"""The privacy notice, the terms of use and the accessibility statement, in both
languages, and the consent that sign-up records (forum/legal.py)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from forum import legal
from forum.models import Consent, User

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def _get(client, name: str, language: str = "en"):
    with translation.override(language):
        return client.get(reverse(name))


@pytest.mark.parametrize(
    ("name", "language", "heading"),
    [
        ("forum:privacy", "en", "Privacy notice"),
        ("forum:privacy", "zh-hant", "隱私權聲明"),
        ("forum:terms", "en", "Terms of use"),
        ("forum:terms", "zh-hant", "使用條款"),
        ("forum:accessibility", "en", "Accessibility statement"),
        ("forum:accessibility", "zh-hant", "無障礙聲明"),
    ],
)
def test_each_document_has_its_whole_text_in_each_language(client, name, language, heading):
    response = _get(client, name, language)
    assert response.status_code == 200
    html = response.text
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} - " in html
    # One language per page: the Chinese text is not the English one left untranslated.
    if language == "zh-hant":
        assert "What we know is not yet right" not in html and "Why we collect it" not in html
        assert "版本" in html


@override_settings(
    RETENTION_CLOSED_QUESTION_DAYS=45,
    RETENTION_UNVERIFIED_SIGNUP_DAYS=12,
    RETENTION_EXPIRED_CLAIM_DAYS=3,
    PRIVACY_CONTACT_EMAIL="dpo@hospital.example",
)
@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_privacy_notice_states_the_retention_settings_and_the_contact(client, language):
    html = _get(client, "forum:privacy", language).text
    for days in ("45", "12", "3"):
        assert f" {days} " in html
    assert 'href="mailto:dpo@hospital.example"' in html
    assert legal.PRIVACY_VERSION in html


def test_the_privacy_notice_says_what_the_act_asks_a_collector_to_say(client):
    html = _get(client, "forum:privacy").text
    for part in (
        'id="who"',  # who collects
        'id="purpose"',
        'id="kinds"',  # kinds of data, health data as a special category
        "special category",
        'id="how-long"',
        'id="where"',  # where, to whom
        'id="rights"',  # the five rights of article 3
        "ask for a copy",
        "ask us to delete it",
        'id="refusing"',
        "GDPR",
    ):
        assert part in html, part


def test_the_chinese_notice_lists_the_five_rights_of_article_3(client):
    html = _get(client, "forum:privacy", "zh-hant").text
    for right in (
        "查詢或請求閱覽",
        "請求製給複製本",
        "請求補充或更正",
        "請求停止蒐集、處理或利用",
        "請求刪除",
    ):
        assert right in html


def test_signup_shows_the_consent_box_linking_both_documents(client):
    html = client.get(SIGNUP).text
    assert 'name="consent"' in html
    assert f'href="{reverse("forum:privacy")}"' in html
    assert f'href="{reverse("forum:terms")}"' in html


def _sign_up(client, url=SIGNUP, **extra):
    data = {"email": "new@example.org", "password1": "sunny-harbour-41"}
    data["password2"] = data["password1"]
    return client.post(url, {**data, **extra})


def test_signup_without_consent_creates_no_account_and_keeps_the_address(client):
    response = _sign_up(client)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "Please agree to the privacy notice and the terms of use" in response.text
    assert 'value="new@example.org"' in response.text


def test_signup_records_consent_to_the_versions_shown(client):
    response = _sign_up(client, "/zh-hant" + SIGNUP, consent="on")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    rows = set(Consent.objects.filter(user=user).values_list("document", "version", "language"))
    assert rows == {
        ("privacy", legal.PRIVACY_VERSION, "zh-hant"),
        ("terms", legal.TERMS_VERSION, "zh-hant"),
    }
    assert legal.has_current_consent(user)


def test_a_new_version_asks_again_and_recording_twice_keeps_one_row(monkeypatch):
    user = User.objects.create_user("p@example.org", "x")
    legal.record_consent(user, "en")
    legal.record_consent(user, "en")
    assert Consent.objects.filter(user=user).count() == 2
    assert legal.has_current_consent(user)
    monkeypatch.setitem(legal.CURRENT_VERSIONS, Consent.Document.PRIVACY, "2027-01-01")
    assert not legal.has_current_consent(user)
    legal.record_consent(user, "en")
    assert legal.has_current_consent(user)
    assert Consent.objects.filter(user=user).count() == 3  # the old agreement stays on record


def test_deleting_an_account_deletes_its_consents():
    user = User.objects.create_user("p@example.org", "x")
    legal.record_consent(user, "en")
    user.delete()
    assert not Consent.objects.exists()


def test_anonymous_visitors_have_no_consent():
    from django.contrib.auth.models import AnonymousUser

    assert not legal.has_current_consent(AnonymousUser())
