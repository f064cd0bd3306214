"""manage.py purge_expired [--dry-run]: delete what the retention periods say has served
its purpose (forum/retention.py). Idempotent; meant for a daily cron job."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from answers.retention import purge_expired_claims
from forum.retention import purge_old_emails, purge_unverified_signups
from questions.retention import purge_closed_questions

STEPS = (purge_closed_questions, purge_expired_claims, purge_unverified_signups, purge_old_emails)


class Command(BaseCommand):
    help = (
        "Delete rejected and removed questions, expired claims, sign-ups never verified and "
        "old outbox e-mails once their retention periods (RETENTION_* settings) have passed. "
        "Meant for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        verb = "Would delete" if dry_run else "Deleted"
        for step in STEPS:
            purged = step(now=now, dry_run=dry_run)
            self.stdout.write(
                f"{verb} {purged.count} {purged.kind} (older than {purged.older_than_days} days)"
            )
