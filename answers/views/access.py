"""Who may open answers' doctor and moderation pages: view decorators over forum/roles.py."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from forum import roles


def doctor_required(view):
    """Signed in (else the log-in page) as a verified doctor (else 403); sets request.doctor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        doctor = roles.verified_doctor(request.user)
        if doctor is None:
            raise PermissionDenied(_("Only verified doctors can open this page."))
        request.doctor = doctor
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def moderator_required(view):
    """Signed in (else the log-in page) as a moderator (else 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can open this page."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)
