"""The two-factor gate: moderators, editors and staff reach the moderation queue, the
admin and (for a session that has not passed two-factor) every page only with a TOTP
authenticator and a session that used it; anyone's authenticator and recovery-code
pages need a recent code. TwoFactorRequiredMiddleware applies it to every request;
require_two_factor is the same check for a view that shows staff what the public
cannot see."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from forum import roles
from forum.security.paths import path_of, paths_of
from forum.security.sessions import PRIVILEGED_SESSION_KEY, is_privileged_session, signed_in_user

logger = logging.getLogger("forum.security")


def two_factor_paths() -> list[str]:
    """Path prefixes that moderators, editors and staff reach only after two-factor
    (settings.TWO_FACTOR_REQUIRED_URLS: URL names, each with a fallback prefix)."""
    prefixes = [path_of(name, fallback) for name, fallback in settings.TWO_FACTOR_REQUIRED_URLS]
    return [prefix for prefix in prefixes if prefix]


def needs_two_factor_for_path(path: str) -> bool:
    if path in paths_of(["admin:login", "admin:logout"]):
        return False
    return any(path.startswith(prefix) for prefix in two_factor_paths())


def _two_factor_step_paths() -> list[str]:
    """Where a privileged session that has not passed two-factor may still go: the
    two-factor pages (set-up, the code step), the password re-authentication that
    set-up asks for first, and log-out (the site's and the admin's)."""
    return paths_of(["mfa_index", "account_reauthenticate", "account_logout", "admin:logout"])


def _two_factor_management_paths() -> list[str]:
    """allauth's pages that show or change authenticators and recovery codes."""
    return paths_of(
        [
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_download_recovery_codes",
            "mfa_deactivate_totp",
            "mfa_activate_totp",
        ]
    )


def session_passed_two_factor(request) -> bool:
    """True when this session's log-in (or a later re-authentication) used an
    authenticator; allauth keeps that record in the session."""
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def session_passed_two_factor_recently(request, user=None) -> bool:
    """True when this session used an authenticator (at log-in or since) within
    allauth's re-authentication timeout."""
    from allauth.account import app_settings as account_settings
    from allauth.account.authentication import get_authentication_records

    since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "mfa" and record.get("at", 0) > since
        for record in get_authentication_records(request, user or request.user)
    )


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


def ask_for_two_factor(request, user):
    """The redirect that sends a privileged session without two-factor to set up an
    authenticator (none yet) or to confirm a code (one exists), then back here."""
    next_path = request.get_full_path() if request.method == "GET" else request.path
    if not has_totp(user):
        logger.info("two-factor setup required user=%s", user.pk)
        messages.warning(
            request,
            gettext(
                "Moderators, editors and staff must turn on two-factor authentication "
                "before using their account. Scan the code with an authenticator app and "
                "enter the code it shows."
            ),
        )
        return redirect("mfa_activate_totp")
    return confirm_code(request, user, next_path)


def confirm_code(request, user, next_path: str):
    logger.info("two-factor confirmation required user=%s", user.pk)
    messages.info(
        request, gettext("Please confirm it is you with a code from your authenticator app.")
    )
    return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_path})}")


def require_two_factor(request):
    """For views that show staff what the public cannot see (e.g. a pending question):
    None when the viewer may go on, else the redirect to the two-factor step. The
    role is checked live, so a role given during the session counts at once."""
    user = signed_in_user(request)
    if user is None or not roles.needs_two_factor(user) or session_passed_two_factor(request):
        return None
    request.session[PRIVILEGED_SESSION_KEY] = True
    return ask_for_two_factor(request, user)


class TwoFactorRequiredMiddleware:
    """Two rules, for every page:

    - A moderator, editor or staff member whose session has not passed two-factor
      reaches only the two-factor pages and log-out: without an authenticator they are
      sent to set one up; with one (a session from before it was added), to confirm a
      code. So a password alone opens nothing. On the moderation queue and the admin the
      role is checked live, so a role given during the session counts at once.
    - Anyone with an authenticator sees or changes their authenticators and recovery
      codes only after using one in the last few minutes (allauth's password
      re-authentication is not enough: a stolen password must not yield the codes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = signed_in_user(request)
        if user is not None:
            refusal = self._refusal(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request, user):
        path = request.path_info
        if (
            any(path.startswith(prefix) for prefix in _two_factor_management_paths())
            and has_authenticator(user)
            and not session_passed_two_factor_recently(request)
        ):
            next_path = request.get_full_path() if request.method == "GET" else path
            return confirm_code(request, user, next_path)
        if (
            self._privileged(request, user, path)
            and not session_passed_two_factor(request)
            and not any(path.startswith(prefix) for prefix in _two_factor_step_paths())
        ):
            return ask_for_two_factor(request, user)
        return None

    def _privileged(self, request, user, path: str) -> bool:
        if not needs_two_factor_for_path(path):
            return is_privileged_session(request)
        if request.session.get(PRIVILEGED_SESSION_KEY) is True:
            return True
        # Checked live, so a role given during the session counts at once.
        if roles.needs_two_factor(user):
            request.session[PRIVILEGED_SESSION_KEY] = True
            return True
        return False
