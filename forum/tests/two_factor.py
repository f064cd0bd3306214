"""Two-factor helpers for tests: TOTP codes, authenticators, and logging a client
in the way a moderator, editor or staff member must before /moderation/ or /admin/."""

from __future__ import annotations

import base64
import hmac
import struct
import time

from django.urls import reverse

from forum.tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(secret: str, step: int = 0) -> str:
    """The RFC 6238 code (SHA-1, 6 digits, 30 s) of `secret`, `step` periods from now.
    Written out, not imported from allauth, so the tests also prove allauth
    speaks the standard (the README gives the same recipe)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(time.time() // 30) + step
    digest = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def give_totp(user, secret: str = SECRET) -> list[str]:
    """Activate a TOTP authenticator and recovery codes for `user`; returns the codes."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return RecoveryCodes.activate(user).get_unused_codes()


def log_in_with_password(client, email: str, password: str = PASSWORD):
    """POST the site's log-in form (allauth)."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def log_in_with_totp(client, user, secret: str = SECRET, password: str = PASSWORD):
    """The real log-in: password, then a code at allauth's two-factor step."""
    response = log_in_with_password(client, user.email, password)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def login_with_two_factor(client, user, secret: str = SECRET) -> None:
    """A fast stand-in for log_in_with_totp, for tests of pages behind the
    two-factor requirement: the user gets an authenticator, and the client a
    session that records a password and a TOTP authentication, as allauth's
    log-in writes them."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    give_totp(user, secret)
    client.logout()  # a log-in over another user's session would start afresh
    # Written before force_login(): a log-in without these records is refused for an
    # account with an authenticator (forum.security.refuse_login_without_two_factor).
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    client.force_login(user)


def sign_in(client, user) -> None:
    """client.force_login(user), plus the two-factor step when the user's role
    requires it (moderators, editors, staff), as a real log-in would include."""
    from forum.roles import needs_two_factor

    if needs_two_factor(user):
        login_with_two_factor(client, user)
    else:
        client.force_login(user)
