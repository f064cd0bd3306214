"""Keyboard use: the skip link, focus order and a visible focus ring, on a phone too."""

import pytest

from forum.tests.browser.support import serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

FOCUSED = (
    "(() => { const e = document.activeElement;"
    " return [e.tagName, e.id, e.textContent.trim()]; })()"
)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_main_content(
    open_page, specialty, viewport
):
    browser_page = open_page(viewport)
    page = browser_page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert page.evaluate(FOCUSED) == ["A", "", "Skip to content"]
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    browser_page.screenshot("skip-link-focused")

    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # the jump is not synchronous with the key press
    assert page.evaluate(FOCUSED)[:2] == ["MAIN", "main"]

    page.keyboard.press("Tab")  # the next stop is the home page's search box
    assert page.evaluate(FOCUSED) == ["INPUT", "home-search", ""]
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_skip_link_is_hidden_until_focused(open_page):
    page = open_page("desktop").goto("/")
    box = page.get_by_role("link", name="Skip to content").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0


def test_tab_reaches_the_header_links_with_a_visible_focus_ring(open_page):
    page = open_page("desktop").goto("/")
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED)[2])
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), (reached[-1], outline)
    assert reached[:2] == ["Skip to content", "Ask a Doctor"]
    assert "Log in" in reached and "Sign up" in reached


def test_accessibility_check_reports_an_unlabelled_field(open_page):
    """The axe-core check itself can fail: a form field without a label is serious."""
    page = open_page("desktop").goto("/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    findings = serious_accessibility_violations(page)
    assert any(finding.startswith("label (critical)") for finding in findings), findings
