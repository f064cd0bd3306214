"""Log-in and sign-up throttles, at their exact limits; the admin log-in; admin for staff only."""

import time

import pytest
from django.urls import reverse

from forum.tests.factories import PASSWORD, UserFactory
from forum.tests.two_factor import give_totp, log_in_with_password

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def admin_login(client, email, password):
    return client.post(
        reverse("admin:login"), {"username": email, "password": password, "next": "/admin/"}
    )


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", is_staff=True)


def test_site_login_refuses_the_sixth_failed_attempt_within_five_minutes(client, patient):
    for _ in range(5):
        response = log_in_with_password(client, patient.email, WRONG)
        assert response.status_code == 200
        assert MISMATCH in response.content.decode()
    response = log_in_with_password(client, patient.email, PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


def test_site_login_still_accepts_the_right_password_after_four_failures(client, patient):
    for _ in range(4):
        log_in_with_password(client, patient.email, WRONG)
    response = log_in_with_password(client, patient.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_site_login_throttle_counts_the_e_mail_in_any_case(client, patient):
    for _ in range(5):
        log_in_with_password(client, f"  {patient.email.upper()} ", WRONG)
    response = log_in_with_password(client, patient.email, PASSWORD)
    assert TOO_MANY in response.content.decode()


def test_site_login_throttle_counts_failures_per_ip_across_accounts(client, patient):
    for n in range(5):
        log_in_with_password(client, f"someone{n}@example.org", WRONG)
    response = log_in_with_password(client, patient.email, PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)
    # Another client IP is not affected.
    response = client.post(
        reverse("account_login"),
        {"login": patient.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302


def test_site_login_opens_again_after_five_minutes(client, patient, monkeypatch):
    for _ in range(5):
        log_in_with_password(client, patient.email, WRONG)
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    response = log_in_with_password(client, patient.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_admin_login_page_sends_people_to_the_site_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/forum/specialty/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fforum%2Fspecialty%2F"
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.fixture(params=["staff", "superuser", "editor"])
def admin_account(request):
    """Accounts that may use the admin; some with an authenticator, some without yet."""
    user = request.getfixturevalue(request.param)
    if request.param != "staff":
        give_totp(user)
    return user


def test_admin_login_form_never_makes_a_session_even_with_the_right_password(client, admin_account):
    response = admin_login(client, admin_account.email, PASSWORD)
    assert response.status_code == 303
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert not logged_in(client)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_login_form_checks_no_password_so_it_cannot_be_guessed_against(client, staff):
    for _ in range(20):
        response = admin_login(client, staff.email, WRONG)
        assert response.status_code == 303
    # Nothing was checked, so nothing was counted: the site log-in still accepts.
    response = log_in_with_password(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_signed_in_staff_on_admin_login_go_to_a_local_next_only(
    client, login_with_two_factor, staff
):
    login_with_two_factor(client, staff)
    for next_value, expected in [
        ("foo", "/admin/"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("/admin/forum/specialty/", "/admin/forum/specialty/"),
    ]:
        response = client.get(reverse("admin:login"), {"next": next_value})
        assert response.status_code == 302, next_value
        assert response["Location"] == expected


@pytest.mark.parametrize("role", ["patient", "moderator"])
def test_admin_is_closed_to_accounts_that_are_not_staff(client, role, request):
    from forum.tests.two_factor import login_with_two_factor

    user = request.getfixturevalue(role)
    login_with_two_factor(client, user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))


def test_admin_sends_anonymous_visitors_to_the_site_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_signup_refuses_the_21st_sign_up_within_an_hour_from_one_ip(client):
    for n in range(20):
        response = client.post(
            reverse("account_signup"),
            {
                "email": f"new{n}@example.org",
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
                "consent": "on",
            },
        )
        assert response.status_code != 429, n
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new20@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "consent": "on",
        },
    )
    assert response.status_code == 429
    assert "Too many" in response.content.decode()
    from forum.models import User

    assert User.objects.filter(email="new0@example.org").exists()
    assert not User.objects.filter(email="new20@example.org").exists()


def test_admin_login_redirect_runs_no_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse("admin:login")).status_code == 302


def test_admin_login_form_post_runs_no_queries(client, staff, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert admin_login(client, staff.email, PASSWORD).status_code == 303
