"""Log-ins the site refuses: the admin's own password form (sent to the site log-in,
which has the two-factor step), and any log-in of an account with an authenticator
that did not use it."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from forum.redirects import safe_next
from forum.security.clients import client_ref
from forum.security.two_factor import has_authenticator, session_passed_two_factor_recently

logger = logging.getLogger("forum.security")


@never_cache
def admin_login(request):
    """/admin/login/, mounted over Django admin's own log-in form.

    Every account that may use the admin must log in with two-factor, and only the
    site log-in (allauth) has that step, so nothing here checks a password or makes a
    session: a GET or a POST (a script, an old bookmark's form) is sent to the site
    log-in, with its `next`. Staff already signed in go on to `next`."""
    next_url = safe_next(request, "admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied(gettext("The admin is for staff only."))
    login_url = f"{reverse('account_login')}?{urlencode({'next': next_url})}"
    if request.method == "POST":
        logger.info("admin log-in form refused client=%s", client_ref(request))
        # 303: the browser follows with a GET, so the password is not posted again.
        return HttpResponseRedirect(login_url, status=303)
    return HttpResponseRedirect(login_url)


class TwoFactorSkipped(PermissionDenied):
    """A log-in that did not use the account's authenticator."""


def refuse_login_without_two_factor(request, user) -> None:
    """Called on every log-in (user_logged_in). An account with an authenticator gets a
    session only from a log-in that used it: allauth's log-in has that step; any other
    way of calling Django's login() (a password form of Django's own, a script) is
    refused here, with the half-made session flushed."""
    if request is None or not hasattr(request, "session") or not has_authenticator(user):
        return
    if session_passed_two_factor_recently(request, user):
        return
    logger.warning(
        "log-in without two-factor refused user=%s client=%s", user.pk, client_ref(request)
    )
    request.session.flush()
    if hasattr(request, "user"):
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    raise TwoFactorSkipped(gettext("This account logs in with two-factor authentication."))
