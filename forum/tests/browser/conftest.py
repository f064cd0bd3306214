"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Screenshots go to artifacts/screenshots/ (CI keeps that folder as an artefact).
"""

from __future__ import annotations

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
def _browser_role_groups(role_groups):
    """Browser tests are transactional (the live server runs in another thread); see
    the root conftest's role_groups."""
