"""Start-up refusals (forum/checks.py): a cache private to each process, or mail written
to the log stream, with debug off; and the database cache's table made by migrate."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.core import checks
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test import override_settings

from forum.checks import (
    START_UP,
    check_email_backend,
    check_replica_cache,
    check_shared_cache,
)
from forum.tests.external import ROOT

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "forum_cache"}
}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
}
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-secret-key-for-the-start-up-checks-0123456789",
    "DJANGO_ALLOWED_HOSTS": "forum.example.org",
}
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY], ids=["locmem", "dummy"])
def test_a_process_local_cache_with_debug_off_is_an_error_naming_the_fix(caches):
    with override_settings(DEBUG=False, CACHES=caches):
        [error] = check_shared_cache()
    assert error.id == "forum.E001"
    assert error.level == checks.ERROR
    assert "REDIS_URL" in error.hint and "DatabaseCache" in error.hint


@pytest.mark.parametrize("caches", [DATABASE_CACHE, REDIS], ids=["database", "redis"])
def test_a_cache_every_process_shares_passes(caches):
    with override_settings(DEBUG=False, CACHES=caches):
        assert check_shared_cache() == []


def test_debug_may_use_local_memory():
    with override_settings(DEBUG=True, CACHES=LOCMEM):
        assert check_shared_cache() == []


def test_cache_sessions_in_a_process_local_cache_are_an_error():
    caches = {**REDIS, "sessions": LOCMEM["default"]}
    with override_settings(
        DEBUG=False,
        CACHES=caches,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SESSION_CACHE_ALIAS="sessions",
    ):
        assert ids(check_shared_cache()) == ["forum.E001"]


def test_the_database_cache_with_a_replica_warns_to_use_redis():
    replica = "postgres://u:p@replica.internal:5432/forum"
    with override_settings(DEBUG=False, CACHES=DATABASE_CACHE, DATABASE_REPLICA_URL=replica):
        assert ids(check_replica_cache()) == ["forum.W002"]
    with override_settings(DEBUG=False, CACHES=REDIS, DATABASE_REPLICA_URL=replica):
        assert check_replica_cache() == []
    with override_settings(DEBUG=False, CACHES=DATABASE_CACHE, DATABASE_REPLICA_URL=""):
        assert check_replica_cache() == []


def test_console_mail_with_debug_off_is_an_error_naming_the_fix():
    with override_settings(DEBUG=False, EMAIL_BACKEND=CONSOLE):
        [error] = check_email_backend()
    assert error.id == "forum.E002"
    assert error.level == checks.ERROR
    assert "EMAIL_URL" in error.hint and "EMAIL_HOST" in error.hint


@pytest.mark.parametrize("backend", ["locmem", "dummy"])
def test_mail_that_is_discarded_with_debug_off_is_a_warning(backend):
    with override_settings(
        DEBUG=False, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"
    ):
        assert ids(check_email_backend()) == ["forum.W001"]


@pytest.mark.parametrize("backend", ["smtp", "filebased"])
def test_mail_that_leaves_the_process_passes(backend):
    with override_settings(
        DEBUG=False, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"
    ):
        assert check_email_backend() == []


def test_debug_may_print_mail_to_the_console():
    with override_settings(DEBUG=True, EMAIL_BACKEND=CONSOLE):
        assert check_email_backend() == []


def test_the_checks_run_for_every_command_and_at_start_up():
    with override_settings(DEBUG=False, CACHES=LOCMEM, EMAIL_BACKEND=CONSOLE):
        everything = ids(checks.run_checks())
        at_start_up = ids(checks.run_checks(tags=[START_UP]))
    assert {"forum.E001", "forum.E002"} <= set(everything)
    assert sorted(at_start_up) == ["forum.E001", "forum.E002"]


def _start_wsgi(tmp_path, settings_code: str = "", **env):
    """Import forum.wsgi (as gunicorn does) in a fresh process under these variables,
    with `settings_code` appended to forum.settings when given."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SQLITE_"))
    }
    clean.update(PRODUCTION, SQLITE_PATH=str(tmp_path / "db.sqlite3"), **env)
    if settings_code:
        (tmp_path / "broken_settings.py").write_text(
            "from forum.settings import *  # noqa\n" + textwrap.dedent(settings_code)
        )
        clean.update(DJANGO_SETTINGS_MODULE="broken_settings", PYTHONPATH=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", "import forum.wsgi"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_wsgi_app_refuses_to_start_with_debug_off_and_no_mail_settings(tmp_path):
    started = _start_wsgi(tmp_path)
    assert started.returncode != 0
    assert "ImproperlyConfigured: The server will not start" in started.stderr
    assert "forum.E002" in started.stderr and "EMAIL_URL" in started.stderr


def test_the_wsgi_app_refuses_to_start_with_a_process_local_cache(tmp_path):
    started = _start_wsgi(
        tmp_path,
        'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}',
        EMAIL_URL="smtp://mail.example.org:587",
    )
    assert started.returncode != 0
    assert "forum.E001" in started.stderr and "REDIS_URL" in started.stderr
    assert "forum.E002" not in started.stderr


def test_the_wsgi_app_starts_with_production_settings(tmp_path):
    started = _start_wsgi(tmp_path, EMAIL_URL="smtp://mail.example.org:587")
    assert started.returncode == 0, started.stderr
    assert started.stdout == ""  # nothing to warn about, and no database touched
    assert not (tmp_path / "db.sqlite3").exists()


def test_the_wsgi_app_logs_a_warning_but_starts_when_mail_is_discarded(tmp_path):
    started = _start_wsgi(tmp_path, EMAIL_URL="locmem:")
    assert started.returncode == 0, started.stderr
    assert "forum.W001" in started.stdout


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table_once():
    def tables():
        return connection.introspection.table_names()

    if "forum_cache" in tables():  # the unit tests' cache is in memory (conftest), but
        with connection.cursor() as cursor:  # the test database may have been made
            cursor.execute("DROP TABLE forum_cache")  # before: start bare (rolled back)
    with override_settings(CACHES=DATABASE_CACHE):
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        assert "forum_cache" in tables()
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # idempotent
        from django.core.cache import cache

        cache.set("shared", "seen by every worker")
        assert cache.get("shared") == "seen by every worker"
