from django.core.management.base import BaseCommand

from forum.mail import requeue_stalled, stalled_messages


class Command(BaseCommand):
    help = (
        "Give a new task to each outbox e-mail no worker will send: its worker was killed "
        "mid-send (its claim, EMAIL_SEND_LEASE_SECONDS, expired) or its task was lost. "
        "Meant for cron (every few minutes); idempotent: a message sent is never sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = stalled_messages().count()
            self.stdout.write(self.style.SUCCESS(f"Would requeue {count} e-mail(s)."))
            return
        count = requeue_stalled()
        self.stdout.write(self.style.SUCCESS(f"Requeued {count} e-mail(s)."))
