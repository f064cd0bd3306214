"""Sessions of moderators, editors and staff ("privileged" sessions): which sessions are
privileged, and StaffIdleTimeoutMiddleware, which ends them on the server after
STAFF_IDLE_TIMEOUT_SECONDS without a request."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from forum import roles

logger = logging.getLogger("forum.security")

LAST_ACTIVITY_SESSION_KEY = "security.last_activity"
# Whether the session's user must use two-factor and gets the idle timeout,
# remembered at log-in so ordinary pages cost no role query.
PRIVILEGED_SESSION_KEY = "security.privileged"
# The idle clock is written to the session at most this often (seconds), so a
# busy moderator does not cost a session write on every request.
LAST_ACTIVITY_RESOLUTION = 60


def signed_in_user(request):
    """request.user when signed in, else None. None too when the database is
    unreachable: the view then meets the same error and answers the friendly 503
    page (forum.middleware), where an error raised here would be a bare 500.
    Nothing is let through: without the database no one is signed in."""
    user = getattr(request, "user", None)
    try:
        return user if user is not None and user.is_authenticated else None
    except (OperationalError, InterfaceError):
        return None


def is_privileged_session(request) -> bool:
    """Whether this session's user is a moderator, editor or staff member, as
    recorded at log-in (or found now, for a session from before the record)."""
    privileged = request.session.get(PRIVILEGED_SESSION_KEY)
    if privileged is None:
        privileged = roles.needs_two_factor(request.user)
        request.session[PRIVILEGED_SESSION_KEY] = privileged
    return privileged


class StaffIdleTimeoutMiddleware:
    """Ends the session of a moderator, editor or staff member (server-side: the
    session is flushed) after STAFF_IDLE_TIMEOUT_SECONDS without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = signed_in_user(request)
        if user is not None and is_privileged_session(request):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                user_id = user.pk
                logout(request)
                logger.info("session ended after inactivity user=%s", user_id)
                minutes = settings.STAFF_IDLE_TIMEOUT_SECONDS // 60
                messages.info(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)d minute without activity. "
                        "Please log in again.",
                        "You were logged out after %(minutes)d minutes without activity. "
                        "Please log in again.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
                login_url = reverse("account_login")
                if request.method == "GET":
                    login_url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(login_url)
            if last is None or now - last >= LAST_ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)
