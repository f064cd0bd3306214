"""manage.py load_demo: the demo data of every app (fixtures/), once, for `make run`.

It loads and renders what each app owns (specialties and accounts, questions, articles and
FAQs) and builds the search index, so it lives in the site layer, above them all.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from answers.actions import render_article, render_faq
from answers.models import FAQ, Article
from forum.mfa import activate_demo_two_factor
from forum.models import Specialty, User
from questions.models import Question, SearchDocument
from questions.search_index import rebuild_search_documents

DEMO_MARKER_EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = "Load fixtures/specialties.json and fixtures/demo.json once, then render their Markdown."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be loaded.")

    def handle(self, *args, dry_run=False, **options):
        fixtures_dir = settings.BASE_DIR / "fixtures"
        todo = []
        if not Specialty.objects.exists():
            todo.append(fixtures_dir / "specialties.json")
        if not User.objects.filter(email=DEMO_MARKER_EMAIL).exists():
            todo.append(fixtures_dir / "demo.json")
        if not todo:
            if not dry_run:
                self._activate_two_factor()
                self._index_for_search()
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        if dry_run:
            self.stdout.write("Would load: " + ", ".join(path.name for path in todo))
            return
        with transaction.atomic():
            call_command("loaddata", *todo, verbosity=0)
            for article in Article.objects.filter(body_html=""):
                render_article(article=article)
            for faq in FAQ.objects.filter(answer_html=""):
                render_faq(faq=faq)
            self._activate_two_factor()
            self._index_for_search()
        self.stdout.write(self.style.SUCCESS("Loaded " + ", ".join(path.name for path in todo)))

    def _activate_two_factor(self):
        """The demo moderator, editor and admin need two-factor authentication; their
        secrets are in the README. Encrypted with SECRET_KEY, so made here, not in JSON."""
        for email in activate_demo_two_factor():
            self.stdout.write(f"Two-factor authentication activated for {email} (see README).")

    def _index_for_search(self):
        """Fixtures bypass the actions that keep search documents current: build them
        (also for a database loaded before search existed)."""
        if Question.objects.published().count() != SearchDocument.objects.count():
            rebuild_search_documents()
