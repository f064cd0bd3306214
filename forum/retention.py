"""Retention: what the site deletes when its purpose is served, and what the audit log
keeps afterwards.

Each app purges its own rows (forum: sign-ups never verified and the outbox's old
e-mails; questions: rejected and removed questions; answers: expired claims);
``manage.py purge_expired`` runs them all.
Periods are settings (RETENTION_*), stated in the privacy notice. A purge is idempotent:
a second run finds nothing more to delete.

After the content is gone the audit log keeps what accountability needs - who acted,
the action, the target's type and id, and when - and drops the words: the reason (a
rejection reason can quote the question) and the target's title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation

from forum.models import ModerationEvent, OutgoingEmail, User


@dataclass(frozen=True)
class Purged:
    """What one purge step deleted (or, in a dry run, would delete)."""

    kind: str
    count: int
    older_than_days: int


def scrub_audit_log(model: type[models.Model], ids: Iterable[int]) -> int:
    """Keep only actor, action, target type and id, and time on entries about `ids`
    (one UPDATE, whatever the number of entries)."""
    ids = list(ids)
    if not ids:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    # Stored in English whatever language the purge runs in: the moderation log
    # recognises this form and names the kind of object in the reader's language.
    with translation.override("en"):
        label = str(model._meta.verbose_name)
    return ModerationEvent.objects.filter(target_type=content_type, target_id__in=ids).update(
        reason="",
        target_repr=Concat(Value(f"{label} "), Cast("target_id", CharField()), Value(" (deleted)")),
    )


def unverified_signups(now: datetime):
    """Accounts whose e-mail was never verified and that never logged in, older than
    RETENTION_UNVERIFIED_SIGNUP_DAYS. Staff and doctors are closed by the team, not here."""
    from allauth.account.models import EmailAddress

    cutoff = now - timedelta(days=settings.RETENTION_UNVERIFIED_SIGNUP_DAYS)
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return User.objects.filter(
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        doctor_profile__isnull=True,
    ).exclude(Exists(verified))


def purge_unverified_signups(*, now: datetime, dry_run: bool) -> Purged:
    users = unverified_signups(now)
    days = settings.RETENTION_UNVERIFIED_SIGNUP_DAYS
    if dry_run:
        return Purged("sign-ups never verified", users.count(), days)
    with transaction.atomic():
        # Lock the accounts only (the filter joins the doctor profiles, which may be absent).
        ids = list(users.select_for_update(of=("self",)).values_list("pk", flat=True))
        User.objects.filter(pk__in=ids).delete()
    return Purged("sign-ups never verified", len(ids), days)


def old_emails(now: datetime):
    """Outbox rows whose purpose is served: sent or cancelled messages older than
    RETENTION_SENT_EMAIL_DAYS, failed ones older than RETENTION_FAILED_EMAIL_DAYS (kept
    longer, so that staff can send them again once the mail server is fixed). A pending
    message is never purged: it has yet to go out."""
    sent_cutoff = now - timedelta(days=settings.RETENTION_SENT_EMAIL_DAYS)
    failed_cutoff = now - timedelta(days=settings.RETENTION_FAILED_EMAIL_DAYS)
    Status = OutgoingEmail.Status
    return OutgoingEmail.objects.filter(
        models.Q(status__in=[Status.SENT, Status.CANCELLED], created_at__lt=sent_cutoff)
        | models.Q(status=Status.FAILED, created_at__lt=failed_cutoff)
    )


def purge_old_emails(*, now: datetime, dry_run: bool) -> Purged:
    messages = old_emails(now)
    days = settings.RETENTION_SENT_EMAIL_DAYS
    if dry_run:
        return Purged("e-mails sent", messages.count(), days)
    deleted, _by_model = messages.delete()
    return Purged("e-mails sent", deleted, days)
