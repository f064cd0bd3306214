"""Sessions: a new key at log-in, gone from the server at log-out, and privileged
sessions end after 30 idle minutes."""

import time
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse

from forum.security import LAST_ACTIVITY_SESSION_KEY
from forum.tests.factories import PASSWORD
from forum.tests.two_factor import log_in_with_password, login_with_two_factor

pytestmark = pytest.mark.django_db


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_session_key_changes_at_login(client, patient):
    session = client.session  # an anonymous session, as a visitor would have
    session["seen"] = True
    session.save()
    before = session_key(client)
    response = log_in_with_password(client, patient.email, PASSWORD)
    assert response.status_code == 302
    after = session_key(client)
    assert after != before
    assert not session_exists(before)
    assert client.session["_auth_user_id"] == str(patient.pk)


def test_logout_deletes_the_session_on_the_server(client, patient):
    log_in_with_password(client, patient.email, PASSWORD)
    key = session_key(client)
    assert session_exists(key)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not session_exists(key)
    # Replaying the old cookie does not bring the log-in back.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert "_auth_user_id" not in client.session


def test_session_cookie_is_secure_httponly_and_samesite(client, patient):
    response = log_in_with_password(client, patient.email, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_privileged_session_ends_after_thirty_idle_minutes(client, role, request):
    user = request.getfixturevalue(role)
    login_with_two_factor(client, user)
    key = session_key(client)
    idle_for(client, 30 * 60 + 1)
    response = client.get(reverse("forum:home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2F"
    assert not session_exists(key)
    page = client.get(response["Location"])
    assert "_auth_user_id" not in client.session
    assert "logged out after 30 minutes without activity" in page.content.decode()


def test_privileged_session_survives_twenty_nine_idle_minutes(client, editor):
    login_with_two_factor(client, editor)
    idle_for(client, 29 * 60)
    assert client.get(reverse("admin:index")).status_code == 200
    # The request reset the idle clock.
    assert time.time() - client.session[LAST_ACTIVITY_SESSION_KEY] < 5


def test_patient_session_is_not_cut_after_thirty_idle_minutes(client, patient):
    client.force_login(patient)
    idle_for(client, 2 * 60 * 60)
    assert client.get(reverse("forum:home")).status_code == 200
    assert client.session["_auth_user_id"] == str(patient.pk)


def test_idle_clock_starts_at_login(client, moderator):
    log_in_with_password(client, moderator.email, PASSWORD)
    assert time.time() - client.session[LAST_ACTIVITY_SESSION_KEY] < 5


@pytest.mark.parametrize("role", ["patient", "moderator"])
def test_security_middleware_costs_no_queries_on_ordinary_pages(
    client, role, request, django_assert_num_queries
):
    login_with_two_factor(client, request.getfixturevalue(role))
    client.get(reverse("robots-txt"))
    # Loading the session and the user; no role, authenticator or session-write queries.
    with django_assert_num_queries(2):
        assert client.get(reverse("robots-txt")).status_code == 200


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_two_factor_check_costs_no_queries_once_passed(client, role, request, settings):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    login_with_two_factor(client, request.getfixturevalue(role))

    def count(path: str) -> int:
        fresh = Client()  # builds its middleware chain from the current settings
        fresh.cookies = client.cookies
        fresh.get(path)
        with CaptureQueriesContext(connection) as queries:
            fresh.get(path)
        return len(queries)

    paths = [reverse("admin:index"), "/moderation/"]
    with_check = [count(path) for path in paths]
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "forum.security.TwoFactorRequiredMiddleware"
    ]
    assert with_check == [count(path) for path in paths]
