"""Project-wide test settings: fast hashing, plain static storage, a clean cache."""

import importlib

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

# Unit tests keep the cache in this process's memory, cleared around every test: many
# pin their SQL query counts, which the database cache (the default without REDIS_URL)
# would change. forum/tests/test_settings.py asserts that default, and
# forum/tests/system/test_shared_state.py proves it shared across gunicorn workers.
TEST_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "forum-tests",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}


@pytest.fixture(scope="session", autouse=True)
def _local_memory_cache():
    with override_settings(CACHES=TEST_CACHES):
        yield


@pytest.fixture(scope="session", autouse=True)
def _jinja2_templates_report_their_context():
    """Django's test set-up makes its own engine's templates send template_rendered, which
    gives the test client's response.context; Jinja2's (the public reading pages) do the
    same here, so a test reads a page's context whichever engine drew it."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def render_and_report(self, context=None, request=None):
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return html

    Template.render = render_and_report
    yield
    Template.render = render


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The outbox (forum/mail.py) sends through the immediate task backend, after commit,
    # so a test reads mail.outbox as before; forum/tests/test_mail.py uses the database
    # backend (the production one) where the queue itself is what it proves.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()
    # A request's LocaleMiddleware leaves its language active in the thread (each real
    # request activates its own): the next test starts in the default language again.
    translation.deactivate()


@pytest.fixture
def patient(db):
    from forum.tests.factories import UserFactory

    return UserFactory(email="patient@example.org")


@pytest.fixture
def moderator(db):
    from forum.tests.factories import ModeratorFactory

    return ModeratorFactory(email="moderator@example.org")


@pytest.fixture
def editor(db):
    from forum.tests.factories import EditorFactory

    return EditorFactory(email="editor@example.org")


@pytest.fixture
def specialty(db):
    from forum.tests.factories import SpecialtyFactory

    return SpecialtyFactory(name="Neurology", slug="neurology")


@pytest.fixture
def doctor(db, specialty):
    """A verified doctor profile in Neurology."""
    from forum.tests.factories import DoctorProfileFactory

    return DoctorProfileFactory(display_name="Lin Mei-hua", specialties=[specialty])


@pytest.fixture
def question(db, patient, specialty):
    """A published, not yet answered question in Neurology."""
    from questions.tests.factories import QuestionFactory

    return QuestionFactory(author=patient, specialty=specialty, nickname="Heihei")


@pytest.fixture
def login_with_two_factor(db):
    """login_with_two_factor(client, user): log a moderator, editor or staff member
    in with two-factor done, as /moderation/ and /admin/ require (issue 8)."""
    from forum.tests.two_factor import login_with_two_factor

    return login_with_two_factor


@pytest.fixture
def role_groups(transactional_db):
    """Put back the role groups of forum/migrations/0002_roles.py.

    Every transactional test empties all tables afterwards, data migrations' rows
    included. serialized_rollback would restore them, but it clashes with the content
    types that the flush's post_migrate re-creates, and with Playwright's event loop,
    so transactional tests that need the roles ask for this fixture instead.
    """
    from django.contrib.auth.models import Group, Permission

    roles_migration = importlib.import_module("forum.migrations.0002_roles")
    for name, permissions in roles_migration.ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            ]
        )
