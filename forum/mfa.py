"""Two-factor authentication (allauth.mfa): our adapter and the demo accounts' authenticators."""

from __future__ import annotations

import base64

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.crypto import salted_hmac

from forum import roles

ENCRYPTED_PREFIX = "fernet:"

# The demo accounts' authenticators. These secrets are public (README,
# "Two-factor authentication"): they exist only so reviewers can log in as the
# demo moderator, editor and admin. Real accounts get random secrets from allauth.
DEMO_TWO_FACTOR = {
    "moderator@example.com": {
        "totp_secret": "NVC4KYJCQ6W7P6XGON67LJD2A2KIDVOV",
        "recovery_seed": "8c3d594e40b832db84f0c54e1b9d34d994066d0efeccec01835678a3"
        "7395918bfbb7c0e82a71442e",
    },
    "editor@example.com": {
        "totp_secret": "HOOLLWYTOV3Q2YLRMBNPX3QOJVKDMXBR",
        "recovery_seed": "305761bad6ee7b21835bcc607097fbb0ef4eccf469dee116c842acef"
        "511e8999bb958a6b39d5b21f",
    },
    "admin@example.com": {
        "totp_secret": "V6ATIMIRWJ4XZ36MOAW6ZOUJHLAJZK2P",
        "recovery_seed": "324dde989606d321acf6c3e05782f11d16c124cf8b769de1a0400044"
        "c25816d6aafe51df3bc84ba9",
    },
}


def _fernet() -> MultiFernet:
    """Keys derived from SECRET_KEY (then SECRET_KEY_FALLBACKS, so a key rotation
    keeps old secrets readable)."""
    keys = []
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        digest = salted_hmac(
            "forum.mfa.secrets", "fernet-key", secret=secret, algorithm="sha256"
        ).digest()
        keys.append(Fernet(base64.urlsafe_b64encode(digest)))
    return MultiFernet(keys)


class ForumMFAAdapter(DefaultMFAAdapter):
    """Encrypts authenticator secrets at rest (allauth's default stores them as
    plain text) and keeps privileged accounts from switching two-factor off."""

    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + _fernet().encrypt(text.encode()).decode()

    # The errors below stay in English, untranslated: they stop the server for an
    # operator (a key lost or a secret stored in clear), never a page a person reads.
    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            raise ImproperlyConfigured("An authenticator secret is stored unencrypted.")
        try:
            token = encrypted_text.removeprefix(ENCRYPTED_PREFIX).encode()
            return _fernet().decrypt(token).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "An authenticator secret cannot be decrypted with SECRET_KEY or "
                "SECRET_KEY_FALLBACKS."
            ) from error

    def can_delete_authenticator(self, authenticator) -> bool:
        return not roles.needs_two_factor(authenticator.user)

    def get_totp_issuer(self) -> str:
        return settings.SITE_NAME


@transaction.atomic
def activate_demo_two_factor() -> list[str]:
    """Give the demo moderator, editor and admin their documented authenticator
    and recovery codes; returns the e-mails of accounts that got new ones."""
    from allauth.mfa.models import Authenticator

    from forum.models import User

    adapter = ForumMFAAdapter()
    activated = []
    for user in User.objects.filter(email__in=DEMO_TWO_FACTOR).order_by("email"):
        demo = DEMO_TWO_FACTOR[user.email]
        _, created = Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": adapter.encrypt(demo["totp_secret"])}},
        )
        Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            defaults={"data": {"seed": adapter.encrypt(demo["recovery_seed"]), "used_mask": 0}},
        )
        if created:
            activated.append(user.email)
    return activated
