"""Programs outside Python that some tests need, and how to tell they are missing.

forum/tests/conftest.py skips the tests of a missing program with one line in pytest's
summary, or fails them when the program's REQUIRE_* variable is 1 (CI sets them all).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = (
    os.environ.get("REDIS_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"
)


@dataclass(frozen=True)
class Need:
    tests: str
    require: str
    install: str


NEEDS = {
    "browser": Need("browser", "REQUIRE_BROWSER", "apt-get install -y chromium"),
    "postgres": Need("PostgreSQL", "REQUIRE_POSTGRES", "apt-get install -y postgresql-15"),
    "redis": Need("Redis scaling", "REQUIRE_REDIS", "apt-get install -y redis-server"),
}


def _executable(path: str | Path) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def missing(need: str) -> str | None:
    """Why the program `need` cannot be used here, or None when it can."""
    if need == "browser":
        if importlib.util.find_spec("playwright") is None:
            return "the Python package playwright is not installed"
        if not _executable(CHROMIUM):
            return f"no Chromium at {CHROMIUM}"
    elif need == "postgres":
        if not (_executable(PGBIN / "initdb") and _executable(PGBIN / "pg_ctl")):
            return f"no PostgreSQL binaries in {PGBIN}"
        if os.getuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root without a 'postgres' user to run PostgreSQL"
    elif need == "redis":
        if not _executable(REDIS_SERVER):
            return f"no redis-server at {REDIS_SERVER}"
    else:
        raise ValueError(f"unknown need {need!r}")
    return None
