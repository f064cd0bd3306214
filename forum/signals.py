"""Receivers for authentication events (Django's and allauth's).

They write the security log ("forum.security": user ids and keyed pseudonyms of
IPs and log-in e-mails, never an e-mail, a session id or anything a patient
wrote), count failed log-ins for the throttle, and keep the session's
two-factor and idle-clock records. Connected in ForumConfig.ready(); signals are
the only hooks allauth and django.contrib.auth offer for these events.
"""

from __future__ import annotations

import logging
import time

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from forum import roles
from forum.allauth_internal import record_two_factor
from forum.security import (
    LAST_ACTIVITY_SESSION_KEY,
    PRIVILEGED_SESSION_KEY,
    account_ref,
    client_ref,
    record_login_failure,
    refuse_login_without_two_factor,
)

logger = logging.getLogger("forum.security")


@receiver(auth_signals.user_logged_in, dispatch_uid="forum.security.logged_in")
def log_login(sender, request, user, **kwargs):
    refuse_login_without_two_factor(request, user)
    logger.info("login succeeded user=%s client=%s", user.pk, client_ref(request))
    if request is not None and hasattr(request, "session"):
        # Starts the idle clock of StaffIdleTimeoutMiddleware with the log-in,
        # and remembers whether it applies.
        request.session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())
        request.session[PRIVILEGED_SESSION_KEY] = roles.needs_two_factor(user)


@receiver(auth_signals.user_login_failed, dispatch_uid="forum.security.login_failed")
def log_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "_login_throttled", False):
        return  # refused by the throttle: logged there, and not counted again
    login = credentials.get("email") or credentials.get("username")
    logger.warning("login failed client=%s account=%s", client_ref(request), account_ref(login))
    if request is not None:
        record_login_failure(request, login)


@receiver(auth_signals.user_logged_out, dispatch_uid="forum.security.logged_out")
def log_logout(sender, request, user, **kwargs):
    logger.info("logout user=%s", getattr(user, "pk", None))


@receiver(account_signals.user_signed_up, dispatch_uid="forum.security.signed_up")
def log_signup(sender, request, user, **kwargs):
    logger.info("signup user=%s client=%s", user.pk, client_ref(request))


@receiver(account_signals.email_confirmed, dispatch_uid="forum.security.email_confirmed")
def log_email_confirmed(sender, request, email_address, **kwargs):
    logger.info("e-mail address confirmed user=%s", email_address.user_id)


@receiver(account_signals.password_reset, dispatch_uid="forum.security.password_reset")
def log_password_reset(sender, request, user, **kwargs):
    logger.info("password reset user=%s client=%s", user.pk, client_ref(request))


@receiver(account_signals.password_changed, dispatch_uid="forum.security.password_changed")
def log_password_changed(sender, request, user, **kwargs):
    logger.info("password changed user=%s client=%s", user.pk, client_ref(request))


@receiver(mfa_signals.authenticator_added, dispatch_uid="forum.security.mfa_added")
def log_authenticator_added(sender, request, user, authenticator, **kwargs):
    logger.info("two-factor added type=%s user=%s", authenticator.type, user.pk)
    if authenticator.type == authenticator.Type.TOTP and request is not None:
        # The person just proved the authenticator works (a valid code, after a
        # fresh password check), so this session counts as two-factor
        # authenticated, as it would after logging in with it.
        record_two_factor(request, user, authenticator)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="forum.security.mfa_removed")
def log_authenticator_removed(sender, request, user, authenticator, **kwargs):
    logger.warning("two-factor removed type=%s user=%s", authenticator.type, user.pk)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="forum.security.mfa_reset")
def log_authenticator_reset(sender, request, user, authenticator, **kwargs):
    logger.info("two-factor reset type=%s user=%s", authenticator.type, user.pk)


@receiver(mfa_signals.authenticator_used, dispatch_uid="forum.security.mfa_used")
def log_authenticator_used(sender, request, user, authenticator, **kwargs):
    logger.info(
        "two-factor succeeded type=%s user=%s client=%s",
        authenticator.type,
        user.pk,
        client_ref(request),
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="forum.security.mfa_failed")
def log_two_factor_failure(sender, request, user, **kwargs):
    logger.warning("two-factor failed user=%s client=%s", user.pk, client_ref(request))


@receiver(account_signals.email_added, dispatch_uid="forum.security.email_added")
def log_email_added(sender, request, user, email_address, **kwargs):
    logger.info("e-mail address added user=%s", user.pk)


@receiver(account_signals.email_changed, dispatch_uid="forum.security.email_changed")
def log_email_changed(sender, request, user, **kwargs):
    logger.info("primary e-mail address changed user=%s", user.pk)


@receiver(account_signals.email_removed, dispatch_uid="forum.security.email_removed")
def log_email_removed(sender, request, user, email_address, **kwargs):
    logger.info("e-mail address removed user=%s", user.pk)
