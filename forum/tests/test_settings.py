import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import forum.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def test_debug_off_without_secret_key_refuses_to_serve_with_a_clear_message():
    started = _run(["-c", "import forum.wsgi"], DJANGO_DEBUG="0")
    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in started.stderr
    checked = _run(["manage.py", "check"], DJANGO_DEBUG="0")
    assert checked.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in checked.stderr


def test_makemigrations_check_runs_without_any_environment():
    result = _run(["manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_on_without_secret_key_starts():
    result = _import_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_no_database_url_means_sqlite():
    result = _import_settings(DJANGO_DEBUG="1")
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_postgres_url_means_psycopg_with_persistent_connections():
    code = (
        "import forum.settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db.internal:5432/forum")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "60", "True", "forum"]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "9f8a7sd6f5g4h3j2k1l0qwertyuiopzxcvbnm",
    "DJANGO_ALLOWED_HOSTS": "forum.example.org",
}


def _settings(code: str, **env) -> str:
    """What `code` prints after importing forum.settings as s, under these variables only."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", f"import forum.settings as s; {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def _check_deploy(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.update(PRODUCTION, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _check_deploy(EMAIL_URL="smtp://mail.example.org:587")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_debug_off_without_mail_settings():
    result = _check_deploy()
    assert result.returncode != 0
    assert "forum.E002" in result.stderr
    assert "EMAIL_URL" in result.stderr


def test_production_default_cache_is_the_database_cache_every_worker_shares():
    printed = _settings(
        "c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'], s.SESSION_ENGINE)",
        **PRODUCTION,
    )
    assert printed.split() == [
        "django.core.cache.backends.db.DatabaseCache",
        "forum_cache",
        "django.contrib.sessions.backends.db",
    ]


def test_debug_on_uses_the_same_database_cache():
    printed = _settings("print(s.CACHES['default']['BACKEND'])", DJANGO_DEBUG="1")
    assert printed == "django.core.cache.backends.db.DatabaseCache"


def test_redis_url_means_redis_for_the_cache_and_the_sessions():
    printed = _settings(
        "c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'], s.SESSION_ENGINE)",
        **PRODUCTION,
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert printed.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0",
        "django.contrib.sessions.backends.cache",
    ]


def test_no_mail_settings_means_the_console_backend_which_only_debug_may_use():
    printed = _settings("print(s.EMAIL_BACKEND)", DJANGO_DEBUG="1")
    assert printed == "django.core.mail.backends.console.EmailBackend"


def test_email_url_file_means_a_folder_of_messages():
    printed = _settings(
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)",
        **PRODUCTION,
        EMAIL_URL="file:///var/spool/forum%20mail",
    )
    assert printed.split(" ", 1) == [
        "django.core.mail.backends.filebased.EmailBackend",
        "/var/spool/forum mail",
    ]


def test_email_url_smtp_means_smtp_with_tls():
    printed = _settings(
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)",
        **PRODUCTION,
        EMAIL_URL="smtp://forum%40example.org:secret@smtp.example.org:2525",
    )
    assert printed.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "forum@example.org",
        "True",
    ]
