"""Retention of doctors' claims: a claim that expired more than
RETENTION_EXPIRED_CLAIM_DAYS ago says nothing anyone needs (who looked at which
question, and when) and is deleted. See forum/retention.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from answers.models import QuestionClaim
from forum.retention import Purged


def purge_expired_claims(*, now: datetime, dry_run: bool) -> Purged:
    days = settings.RETENTION_EXPIRED_CLAIM_DAYS
    claims = QuestionClaim.objects.filter(expires_at__lt=now - timedelta(days=days))
    count = claims.count() if dry_run else claims.delete()[0]
    return Purged("expired claims", count, days)
