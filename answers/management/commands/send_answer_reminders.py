"""manage.py send_answer_reminders [--dry-run]: the answer-time targets (cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from answers.actions.information import close_lapsed_information_requests
from answers.actions.reminders import escalate_to_moderators, remind_doctors


class Command(BaseCommand):
    help = (
        "Send published questions unanswered after ANSWER_REMINDER_HOURS to the doctors of "
        "their specialty (at once, or in the digest for those who take it) and after "
        "ANSWER_ESCALATION_HOURS to the moderators, each question once per threshold; close "
        "information requests whose time to answer has passed. Meant for cron, e.g. every "
        "15 minutes; a second run sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        closed = 0 if dry_run else close_lapsed_information_requests(now=now)
        doctors = remind_doctors(now=now, dry_run=dry_run)
        moderators = escalate_to_moderators(now=now, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {doctors.emails} doctor reminder(s) ({doctors.questions} question(s); "
                f"{doctors.marked} newly past the reminder time) and {moderators.emails} "
                f"moderator alert(s) ({moderators.questions} question(s); {moderators.marked} "
                f"newly past the escalation time); closed {closed} lapsed information "
                "request(s)."
            )
        )
