"""django-debug-toolbar is on for `make run` only (forum/settings.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter (the settings are read at start-up), on an in-memory
# SQLite database: what the toolbar settings are, and what a page looks like.
PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, Resolver404
out = {
    "installed": "debug_toolbar" in settings.INSTALLED_APPS,
    "middleware": settings.MIDDLEWARE[0],
}
try:
    resolve("/__debug__/render_panel/")
    out["urls"] = True
except Resolver404:
    out["urls"] = False
if out["installed"]:
    call_command("migrate", verbosity=0)
    response = Client().get("/", HTTP_HOST="127.0.0.1")
    out["status"] = response.status_code
    out["toolbar"] = 'id="djDebug"' in response.content.decode()
    out["csp"] = response["Content-Security-Policy"]
print(json.dumps(out))
"""


def _probe(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(DATABASE_URL="sqlite://:memory:", DJANGO_SETTINGS_MODULE="forum.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_shows_the_toolbar_under_the_strict_policy():
    out = _probe(DJANGO_DEBUG="1", DJANGO_DEBUG_TOOLBAR="1")
    assert out["installed"] and out["urls"]
    assert out["middleware"] == "debug_toolbar.middleware.DebugToolbarMiddleware"
    assert out["status"] == 200
    assert out["toolbar"]
    # The site's policy, unchanged: the toolbar needs no inline script or style.
    assert "script-src 'self';" in out["csp"] + ";"
    assert "style-src 'self';" in out["csp"] + ";"
    assert "unsafe" not in out["csp"]


def test_no_toolbar_without_the_flag_or_with_debug_off():
    for env in [{"DJANGO_DEBUG": "1"}, {"DJANGO_DEBUG": "0", "DJANGO_DEBUG_TOOLBAR": "1"}]:
        env.setdefault("DJANGO_SECRET_KEY", "probe-" + "x" * 50)
        out = _probe(**env)
        assert out == {
            "installed": False,
            "middleware": "django.middleware.security.SecurityMiddleware",
            "urls": False,
        }, env


def test_no_toolbar_in_tests():
    assert settings.DEBUG_TOOLBAR is False
    assert "debug_toolbar" not in settings.INSTALLED_APPS
