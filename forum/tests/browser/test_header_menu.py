"""The header's menu: on a phone a "Menu" disclosure (no script needed) holding the links
one per line, opened by touch or keyboard; on a desktop the links in a row, no button."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_links_are_behind_a_menu_button_that_opens_with_the_keyboard(open_page):
    browser_page = open_page("phone")
    page = browser_page.goto("/")
    menu = page.locator("details.menu > summary")
    assert menu.is_visible() and menu.inner_text().strip() == "Menu"
    ask = page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Ask a doctor")
    assert not ask.is_visible()
    assert page.get_by_role("searchbox").get_attribute("placeholder")
    menu.focus()
    page.keyboard.press("Enter")
    assert ask.is_visible()
    # One link per line, as wide as the screen, and still no sideways scrolling.
    log_in = page.get_by_role("link", name="Log in")
    assert ask.bounding_box()["y"] < log_in.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser_page.screenshot("menu-open")
    page.keyboard.press("Enter")
    assert not ask.is_visible()
    assert browser_page.errors == []


def test_on_a_desktop_the_links_show_in_a_row_without_a_button(open_page):
    page = open_page("desktop").goto("/zh-hant/")
    assert not page.locator("details.menu > summary").is_visible()
    nav = page.get_by_role("navigation", name="主選單")
    ask, log_in = nav.get_by_role("link", name="向醫師提問"), nav.get_by_role("link", name="登入")
    assert ask.is_visible() and log_in.is_visible()
    assert ask.bounding_box()["y"] == log_in.bounding_box()["y"]


PLACEHOLDER_ROOM = """(box) => {
  const style = getComputedStyle(box, "::placeholder");
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const own = getComputedStyle(box);
  const room = box.clientWidth - parseFloat(own.paddingLeft) - parseFloat(own.paddingRight);
  return {text: context.measureText(box.placeholder).width, room: room};
}"""


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_on_a_phone_the_search_boxes_show_their_whole_placeholder(open_page, prefix):
    browser_page = open_page("phone")
    name = "搜尋" if prefix else "Search"
    # The home page's own search box (it has no header one), the header's on another page.
    for path in (f"{prefix}/", f"{prefix}/faq/"):
        page = browser_page.goto(path)
        box = page.get_by_role("searchbox")
        assert box.count() == 1 and box.get_attribute("placeholder")
        measured = box.evaluate(PLACEHOLDER_ROOM)
        assert measured["text"] <= measured["room"], (path, measured)
        # The button shows its magnifier; its name is still the word.
        assert page.get_by_role("button", name=name, exact=True).count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert browser_page.errors == []
