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
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
JAVA = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
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
    "validators": Need(
        "HTML checker and Lighthouse",
        "REQUIRE_VALIDATORS",
        "apt-get install -y default-jre-headless nodejs npm, then make install",
    ),
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
    elif need == "validators":
        if not _executable(JAVA):
            return f"no Java at {JAVA} (the Nu HTML checker needs it)"
        if not VNU_JAR.is_file():
            return f"no {VNU_JAR.relative_to(ROOT)} (npm ci installs it)"
        if not _executable(NODE):
            return f"no Node.js at {NODE} (Lighthouse needs it)"
        if not LIGHTHOUSE.is_file():
            return f"no {LIGHTHOUSE.relative_to(ROOT)} (npm ci installs it)"
    else:
        raise ValueError(f"unknown need {need!r}")
    return None
