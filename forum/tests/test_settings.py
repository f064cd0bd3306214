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


def test_check_deploy_is_clean_with_production_variables():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "9f8a7sd6f5g4h3j2k1l0qwertyuiopzxcvbnm",
        DJANGO_ALLOWED_HOSTS="forum.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
