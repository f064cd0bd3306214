"""Fixtures that start real servers: PostgreSQL, Redis and gunicorn (see processes.py)."""

from __future__ import annotations

import tempfile

import pytest

from forum.tests.system.processes import AppServer, Postgres, collectstatic


@pytest.fixture(scope="session")
def static_root():
    """Static files collected once with the production storage (hashed, compressed)."""
    with tempfile.TemporaryDirectory(prefix="forum-static.") as root:
        collectstatic(root)
        yield root


@pytest.fixture
def postgres():
    server = Postgres().start()
    yield server
    server.remove()


@pytest.fixture
def start_app(tmp_path):
    """start_app(env, workers=2) -> a running AppServer, stopped after the test."""
    servers: list[AppServer] = []

    def _start(env: dict[str, str], workers: int = 2) -> AppServer:
        server = AppServer(env, tmp_path / f"app-{len(servers)}.log", workers=workers)
        servers.append(server)
        return server.start()

    yield _start
    for server in servers:
        server.stop()
