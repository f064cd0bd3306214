"""Accounts (django-allauth): e-mail log-in, verification, password flows, site templates."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from forum.models import User
from forum.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")


def sign_up(client, email="new.patient@example.org"):
    return client.post(
        SIGNUP,
        {
            "email": email,
            "password1": "sunny-harbour-41",
            "password2": "sunny-harbour-41",
            "consent": "on",
        },
    )


def test_signup_page_uses_the_site_layout_and_asks_no_username(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SIGNUP)
    html = response.content.decode()
    assert 'class="skip-link"' in html
    assert "css/site.css" in html
    assert 'for="id_email"' in html
    assert 'for="id_password1"' in html
    assert "username" not in html.lower()
    assert "<title>" in html and "- Ask a Doctor</title>" in html


def test_login_page_offers_password_reset_and_uses_labels(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LOGIN)
    html = response.content.decode()
    assert 'for="id_login"' in html and 'type="email"' in html
    assert reverse("account_reset_password") in html
    assert "username" not in html.lower()


def test_signup_sends_one_verification_email_after_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = sign_up(client)
    assert response.status_code == 302
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.patient@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    user = User.objects.get(email="new.patient@example.org")
    assert not EmailAddress.objects.get(user=user).verified


def test_unverified_account_cannot_log_in_or_ask(client, django_capture_on_commit_callbacks):
    UserFactory(email="waiting@example.org", verified_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN, {"login": "waiting@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    response = client.get(reverse("questions:ask"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_confirming_the_email_lets_the_patient_ask(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = next(line for line in mail.outbox[0].body.splitlines() if "confirm-email" in line)
    path = link[link.index("/accounts/") :].strip()
    client.post(path)
    assert EmailAddress.objects.get(email="new.patient@example.org").verified
    assert client.get(reverse("questions:ask")).status_code == 200


def test_signup_survives_a_failing_mail_server(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert User.objects.filter(email="new.patient@example.org").exists()
    assert "e-mail could not be sent" in caplog.text
    assert "new.patient@example.org" not in caplog.text


def test_login_message_does_not_show_the_email(client, patient):
    response = client.post(LOGIN, {"login": patient.email, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "You are logged in." in html
    assert patient.email not in html


def test_failed_logins_are_rate_limited(client, patient):
    for _ in range(5):
        client.post(LOGIN, {"login": patient.email, "password": "wrong-password"})
    response = client.post(LOGIN, {"login": patient.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_one_email_after_commit(
    client, patient, django_capture_on_commit_callbacks
):
    assert client.get(reverse("account_reset_password")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": patient.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_change_page_needs_login_and_changes_the_password(
    client, patient, django_capture_on_commit_callbacks
):
    url = reverse("account_change_password")
    assert client.get(url).status_code == 302
    client.force_login(patient)
    html = client.get(url).content.decode()
    assert 'for="id_oldpassword"' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"oldpassword": PASSWORD, "password1": "new-harbour-77", "password2": "new-harbour-77"},
        )
    patient.refresh_from_db()
    assert patient.check_password("new-harbour-77")
    assert len(mail.outbox) == 1  # the "your password was changed" notice


def test_logout_is_a_post_from_the_header(client, patient):
    client.force_login(patient)
    html = client.get(reverse("forum:home")).content.decode()
    assert f'action="{reverse("account_logout")}"' in html
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
