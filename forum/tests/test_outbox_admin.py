"""The outbox in admin: who may see it, what it shows (never a message's text or its
unsubscribe link), and sending failed e-mails again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import OutgoingEmail
from forum.tests.factories import DoctorProfileFactory, UserFactory
from forum.tests.two_factor import login_with_two_factor, sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:forum_outgoingemail_changelist"
BODY = "Dr. Lin answered your question about the lump in your breast."
TOKEN_URL = "https://example.org/email/unsubscribe/secret-token/"


@pytest.fixture
def failed_email(patient):
    return OutgoingEmail.objects.create(
        recipient=patient,
        to=patient.email,
        from_email="forum@example.org",
        subject="A doctor has answered",
        body=BODY,
        headers={"List-Unsubscribe": f"<{TOKEN_URL}>"},
        kind="emails/question_answered",
        topic="questions",
        status=OutgoingEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected",
    )


@pytest.fixture
def superuser(db):
    user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    return user


def test_superuser_sees_status_attempts_and_error_but_not_the_text(client, superuser, failed_email):
    login_with_two_factor(client, superuser)
    listing = client.get(reverse(CHANGELIST)).content.decode()
    assert "SMTPServerDisconnected" in listing
    assert "emails/question_answered" in listing
    detail = client.get(
        reverse("admin:forum_outgoingemail_change", args=[failed_email.pk])
    ).content.decode()
    assert failed_email.to in detail
    for secret in (BODY, TOKEN_URL, "secret-token"):
        assert secret not in listing and secret not in detail


@pytest.mark.parametrize("role", ["anonymous", "patient", "doctor", "moderator"])
def test_people_outside_the_admin_are_sent_to_its_log_in(client, role, patient, moderator):
    user = {
        "anonymous": None,
        "patient": patient,
        "doctor": DoctorProfileFactory().user,
        "moderator": moderator,
    }[role]
    if user is not None:
        sign_in(client, user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_editors_and_staff_without_the_permission_are_refused(client, editor, failed_email):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    for user in (editor, staff):
        client.logout()
        sign_in(client, user)
        assert client.get(reverse(CHANGELIST)).status_code == 403
        assert (
            client.get(
                reverse("admin:forum_outgoingemail_change", args=[failed_email.pk])
            ).status_code
            == 403
        )
        response = client.post(
            reverse(CHANGELIST),
            {"action": "send_again", "_selected_action": [failed_email.pk]},
        )
        assert response.status_code == 403
    failed_email.refresh_from_db()
    assert failed_email.status == OutgoingEmail.Status.FAILED


def test_nobody_adds_or_edits_an_e_mail_in_admin(client, superuser, failed_email):
    login_with_two_factor(client, superuser)
    assert client.get(reverse("admin:forum_outgoingemail_add")).status_code == 403
    response = client.post(
        reverse("admin:forum_outgoingemail_change", args=[failed_email.pk]),
        {"to": "someone-else@example.org"},
    )
    assert response.status_code == 403
    failed_email.refresh_from_db()
    assert failed_email.to == "patient@example.org"


def test_sending_failed_e_mails_again_delivers_them_once_and_leaves_sent_ones(
    client, superuser, failed_email, patient, django_capture_on_commit_callbacks
):
    sent = OutgoingEmail.objects.create(
        recipient=patient,
        to=patient.email,
        from_email="forum@example.org",
        subject="Already sent",
        body="Sent before.",
        kind="emails/question_published",
        status=OutgoingEmail.Status.SENT,
        attempts=1,
    )
    login_with_two_factor(client, superuser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST),
            {"action": "send_again", "_selected_action": [failed_email.pk, sent.pk]},
            follow=True,
        )
    assert "1 failed e-mail will be sent again." in response.content.decode()
    failed_email.refresh_from_db()
    assert failed_email.status == OutgoingEmail.Status.SENT
    assert failed_email.attempts == 1 and failed_email.last_error == ""
    assert [message.subject for message in mail.outbox] == ["A doctor has answered"]
