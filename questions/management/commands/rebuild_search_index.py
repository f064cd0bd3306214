from django.core.management.base import BaseCommand

from questions.models import Question, SearchDocument
from questions.search_index import rebuild_search_documents


class Command(BaseCommand):
    help = (
        "Rewrite the search document of every question (after bulk loads or restores). "
        "Idempotent; safe to interrupt and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many documents would be written."
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1.")
            return
        published = Question.objects.published().count()
        if dry_run:
            self.stdout.write(
                f"Would write {published} search documents "
                f"({SearchDocument.objects.count()} exist now)."
            )
            return

        def progress(done: int, last: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  up to question {done} of {last}")

        total = rebuild_search_documents(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} documents."))
