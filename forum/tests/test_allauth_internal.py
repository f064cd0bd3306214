"""The private allauth function behind forum/allauth_internal.py, and the
re-authentication methods of the allauth release the site runs.

These fail loudly when an allauth upgrade changes what the site relies on: read the
module's docstring, then the release's changelog, before changing either side."""

from __future__ import annotations

import inspect

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows import login as allauth_login
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from forum import allauth_internal
from forum.security import session_passed_two_factor
from forum.tests.factories import PASSWORD
from forum.tests.two_factor import give_totp

pytestmark = pytest.mark.django_db


def test_the_private_function_still_has_the_signature_the_site_calls():
    assert allauth_internal.record_authentication is allauth_login.record_authentication
    parameters = inspect.signature(allauth_login.record_authentication).parameters
    assert list(parameters)[:3] == ["request", "user", "method"], (
        "allauth changed record_authentication(request, user, method, **extra_data): "
        "update forum/allauth_internal.py"
    )
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def test_recording_two_factor_makes_the_session_pass_it(rf, moderator):
    give_totp(moderator)
    authenticator = Authenticator.objects.get(user=moderator, type=Authenticator.Type.TOTP)
    request = rf.get("/")
    request.user = moderator
    request.session = SessionStore()
    assert not session_passed_two_factor(request)

    allauth_internal.record_two_factor(request, moderator, authenticator)

    # Read back through allauth's public reader, as forum.security reads it.
    [record] = get_authentication_records(request, moderator)
    assert record["method"] == "mfa"
    assert record["id"] == authenticator.pk
    assert record["type"] == Authenticator.Type.TOTP
    assert session_passed_two_factor(request)


def test_reauthentication_by_an_emailed_code_is_off(client, patient, moderator):
    assert account_settings.REAUTHENTICATION_METHODS == {"password", "mfa"}
    client.force_login(patient)
    for name in ["account_request_reauthentication_code", "account_confirm_reauthentication_code"]:
        assert client.get(reverse(name)).status_code == 403, name
    # A patient without an authenticator re-authenticates with the password only.
    assert [m["id"] for m in get_adapter().get_reauthentication_methods(patient)] == [
        "reauthenticate"
    ]
    # With an authenticator, only the authenticator: not the password, not a code.
    give_totp(moderator)
    methods = get_adapter().get_reauthentication_methods(moderator)
    assert [m["id"] for m in methods] == ["mfa_reauthenticate"]


def test_a_patient_reauthenticates_with_the_password_not_a_code(client, patient):
    client.force_login(patient)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate") + "?")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("account_request_reauthentication_code") not in page.content.decode()
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
