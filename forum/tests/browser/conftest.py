"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Screenshots go to artifacts/screenshots/ (CI keeps that folder as an artefact).
"""

from __future__ import annotations

import importlib
import os

import pytest

from forum.tests.browser.support import CHROMIUM_ARGS, BrowserPage
from forum.tests.external import CHROMIUM

# Playwright's sync API runs an asyncio loop in this thread, which makes Django's ORM
# refuse to run here; the test thread never runs async code of its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page("phone") -> a BrowserPage on the live server at that viewport."""
    pages: list[BrowserPage] = []

    def _open(viewport: str = "desktop") -> BrowserPage:
        page = BrowserPage(browser, live_server.url, viewport)
        pages.append(page)
        return page

    yield _open
    for page in pages:
        page.context.close()


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Put back the role groups of forum/migrations/0002_roles.py.

    Browser tests are transactional (the live server runs in another thread), and every
    transactional test empties all tables afterwards, data migrations' rows included.
    serialized_rollback would restore them, but not reliably once Playwright's event loop
    is running in this thread, so the groups are made here.
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
