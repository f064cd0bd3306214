"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Screenshots go to artifacts/screenshots/ (CI keeps that folder as an artefact).
"""

from __future__ import annotations

import os

import pytest

from forum.tests.browser.html_checker import HtmlChecker
from forum.tests.browser.support import CHROMIUM_ARGS, BrowserPage
from forum.tests.external import CHROMIUM, NEEDS, missing

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


@pytest.fixture(scope="session")
def html_checker(request):
    """The Nu HTML checker, or None where Java or vnu.jar is missing (then the documents
    go unchecked, with one summary line; REQUIRE_VALIDATORS=1 makes that a failure)."""
    reason = missing("validators")
    if reason:
        if os.environ.get(NEEDS["validators"].require) == "1":
            pytest.fail(f"REQUIRE_VALIDATORS=1 but {reason}", pytrace=False)
        request.config.stash.setdefault(UNCHECKED, reason)
        yield None
        return
    checker = HtmlChecker()
    yield checker
    checker.close()


UNCHECKED = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter, config):
    reason = config.stash.get(UNCHECKED, None)
    if reason:
        terminalreporter.write_line(
            f"UNCHECKED HTML: the browser tests' pages were not run through the Nu checker: "
            f"{reason} ({NEEDS['validators'].install}; REQUIRE_VALIDATORS=1 makes this a failure)"
        )


@pytest.fixture
def open_page(browser, live_server, html_checker):
    """open_page("phone") -> a BrowserPage on the live server at that viewport (with
    javascript=False, a browser that runs no script). When the
    test is done, every HTML document its pages loaded must pass the Nu HTML checker."""
    pages: list[BrowserPage] = []

    def _open(viewport: str = "desktop", *, javascript: bool = True) -> BrowserPage:
        page = BrowserPage(browser, live_server.url, viewport, javascript=javascript)
        pages.append(page)
        return page

    yield _open
    for page in pages:
        page.context.close()
    if html_checker is not None:
        problems = html_checker.problems([doc for page in pages for doc in page.documents])
        assert not problems, "invalid HTML:\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
def _browser_role_groups(role_groups):
    """Browser tests are transactional (the live server runs in another thread); see
    the root conftest's role_groups."""
