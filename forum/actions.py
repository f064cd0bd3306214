"""Writes of the site-wide app."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models

from forum.models import ModerationEvent

logger = logging.getLogger("forum.moderation")


def log_moderation_event(
    *, actor, action: str, target: models.Model, reason: str = ""
) -> ModerationEvent:
    """Write one audit-log entry (and a log line without personal data)."""
    event = ModerationEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
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
