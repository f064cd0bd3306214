"""Writes of the site-wide app."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models

from forum.models import ModerationEvent

logger = logging.getLogger("forum.moderation")


def actor_label(user) -> str:
    """How the audit log names a staff member, kept after their account is gone."""
    return (user.email or f"user {user.pk}")[:254]


def log_moderation_event(
    *, actor, action: str, target: models.Model, reason: str = ""
) -> ModerationEvent:
    """Write one audit-log entry (and a log line without personal data)."""
    has_account = bool(getattr(actor, "pk", None))
    event = ModerationEvent.objects.create(
        actor=actor if has_account else None,
        actor_label=actor_label(actor) if has_account else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        target_repr=str(target)[:200],
        reason=reason,
    )
    logger.info(
        "moderation action=%s target=%s:%s actor=%s",
        action,
        target._meta.label_lower,
        target.pk,
        getattr(actor, "pk", None),
    )
    return event
