"""What every action of answers/actions/ refuses with, and the reason check they share."""

from __future__ import annotations

from django.utils.translation import gettext as _


class ActionNotAllowed(ValueError):
    """The object is not in a state this action applies to (the message is for the user)."""


def required_reason(reason: str) -> str:
    """The reason, trimmed; ActionNotAllowed when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionNotAllowed(_("A reason is required."))
    return reason
