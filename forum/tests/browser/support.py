"""Helpers for the browser tests: pages at a viewport, screenshots, axe-core checks."""

from __future__ import annotations

from forum.tests.browser.html_checker import Document
from forum.tests.external import ROOT

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


class BrowserPage:
    """A page in a fresh browser context, recording console errors, failed requests and
    every HTML document it loads (for the HTML checker, see html_checker.py)."""

    def __init__(self, browser, base_url: str, viewport: str, *, javascript: bool = True):
        self.viewport = viewport
        self.context = browser.new_context(
            base_url=base_url, java_script_enabled=javascript, **VIEWPORTS[viewport]
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.documents: list[Document] = []
        self.page.on("response", self._record_document)
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.request.resource_type != "document"
                and self.errors.append(f"{response.status} {response.url}")
            ),
        )

    def _record_document(self, response) -> None:
        if response.request.resource_type != "document" or 300 <= response.status < 400:
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        try:
            html = response.text()
        except Exception as error:  # noqa: BLE001 - a document the page left before it loaded
            self.errors.append(f"could not read {response.url}: {error}")
            return
        self.documents.append(Document(response.url, response.status, html))

    def goto(self, path: str, expect_status: int = 200):
        response = self.page.goto(path)
        assert response is not None and response.status == expect_status, (
            path,
            response and response.status,
        )
        return self.page

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.viewport}.png", full_page=True)


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
