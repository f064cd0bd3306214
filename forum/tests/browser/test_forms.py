"""The wide-screen layout of the ask form and the doctor application, and the
application's searchable list of specialties, with and without JavaScript, in a real
Chromium: on a 390 px phone one column without overflow; on a desktop the short fields
side by side and the long fields' help beside them; the specialty filter in English and
Chinese, by keyboard, announcing its matches."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from forum.i18n import url_in_language
from forum.models import DoctorProfile
from forum.tests.browser.support import serious_accessibility_violations
from forum.tests.browser.test_signed_in_pages import OVERFLOWING, signed_in
from forum.tests.external import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLY = reverse("answers:apply")
ASK = reverse("questions:ask")


@pytest.fixture(autouse=True)
def _plain_session_cookie(settings):
    # As in test_signed_in_pages: the browser gets the session cookie directly.
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.SESSION_COOKIE_SECURE = False


@pytest.fixture
def specialties(db):
    """The 25 specialties of the fixtures, with their Chinese names."""
    call_command("loaddata", str(ROOT / "fixtures" / "specialties.json"), verbosity=0)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def fits(page) -> None:
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_ask_form_uses_the_width_of_the_screen(open_page, live_server, patient, viewport):
    browser_page = signed_in(open_page(viewport), live_server, patient)
    page = browser_page.goto(ASK)
    nickname, subject = box(page, "#id_nickname"), box(page, "#id_subject")
    title, title_help = box(page, "#id_title"), box(page, "#id_title_helptext")
    if viewport == "desktop":
        # The short fields side by side, the title's help beside the title.
        assert subject["x"] > nickname["x"] + nickname["width"]
        assert abs(subject["y"] - nickname["y"]) < 40
        assert title_help["x"] >= title["x"] + title["width"]
    else:
        # One column: each field under the one before it, each help under its label.
        assert subject["y"] > nickname["y"] + nickname["height"]
        assert abs(subject["x"] - nickname["x"]) < 30
        assert title_help["y"] + title_help["height"] <= title["y"] + 1
    fits(page)
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_application_without_javascript_is_a_fieldset_of_checkboxes(
    open_page, live_server, patient, specialties, viewport
):
    browser_page = signed_in(open_page(viewport, javascript=False), live_server, patient)
    page = browser_page.goto(APPLY)
    checkboxes = page.locator("#specialty-choices input[type=checkbox]")
    assert checkboxes.count() == 25
    assert page.get_by_label("Find a specialty").count() == 1
    assert not page.get_by_label("Find a specialty").is_visible()  # no script, no filter
    assert "{#" not in page.locator("main").inner_text()  # no template comment shows
    columns = {round(box["x"]) for box in (c.bounding_box() for c in checkboxes.all())}
    assert len(columns) == 1 if viewport == "phone" else len(columns) >= 3
    fits(page)

    page.get_by_label("Full name").fill("Ho Kai-lin")
    page.get_by_label("Medical licence number").fill("MD-77001")
    page.get_by_label("Hospital or clinic").fill("Harbour General Hospital")
    page.get_by_label("In practice since (year)").fill("2009")
    page.get_by_label("Neurology", exact=True).check()
    page.get_by_label("Pediatrics", exact=True).check()
    page.get_by_label("Short bio").fill("Neurologist with a headache clinic.")
    page.get_by_role("button", name="Send my application").click()
    page.get_by_text("A moderator will review your application").wait_for()
    profile = DoctorProfile.objects.get(user=patient)
    assert sorted(s.slug for s in profile.specialties.all()) == ["neurology", "pediatrics"]
    assert profile.practising_since == 2009
    assert browser_page.errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_application_without_its_script_passes_axe(
    open_page, live_server, patient, specialties, viewport
):
    # axe needs scripts to run, so this is the page as a browser shows it when the
    # picker's script does not arrive (served empty): the markup without JavaScript.
    browser_page = signed_in(open_page(viewport), live_server, patient)
    browser_page.page.route(
        "**/js/choice_picker*.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    page = browser_page.goto(APPLY)
    assert not page.get_by_label("Find a specialty").is_visible()
    assert page.locator("#specialty-choices input[type=checkbox]").count() == 25
    fits(page)
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_application_filters_specialties_and_lists_the_chosen(
    open_page, live_server, patient, specialties, viewport
):
    browser_page = signed_in(open_page(viewport), live_server, patient)
    page = browser_page.goto(APPLY)
    status = page.locator("#specialty-filter-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "All 25 specialties."
    rows = page.locator("#specialty-choices [data-choice]")

    # Keyboard only: Tab into the filter box, type, Tab to the one match, Space to choose.
    page.get_by_label("Hospital or clinic").focus()
    page.keyboard.press("Tab")  # the year
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "specialty-filter"
    page.keyboard.type("neuro")
    assert status.inner_text() == "1 specialty matches."
    assert [r.inner_text() for r in rows.all() if r.is_visible()] == ["Neurology"]
    page.keyboard.press("Enter")  # does not send the application
    assert page.url.endswith(APPLY) and not DoctorProfile.objects.filter(user=patient).exists()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_by_label("Neurology", exact=True).is_checked()
    chosen = page.locator("[data-choice-chosen-list] button")
    # Seen: "Neurology ×"; heard: "Remove: Neurology" (the cross is aria-hidden).
    assert chosen.count() == 1
    assert chosen.first.inner_text().split("\n")[-1] == "Neurology ×"
    assert page.get_by_role("button", name="Remove: Neurology", exact=True).count() == 1

    # A word in the other language finds it too; nothing matching says so.
    page.get_by_label("Find a specialty").fill("心臟")
    assert [r.inner_text() for r in rows.all() if r.is_visible()] == ["Cardiology"]
    page.get_by_label("Find a specialty").fill("zzz")
    assert status.inner_text() == "No specialty matches “zzz”."
    assert not any(r.is_visible() for r in rows.all())
    page.get_by_label("Find a specialty").fill("")
    assert rows.count() == 25 and all(r.is_visible() for r in rows.all())

    # The chosen button un-checks its specialty and gives focus back to the filter.
    chosen.first.click()
    assert not page.get_by_label("Neurology", exact=True).is_checked()
    assert page.locator("[data-choice-chosen-list]").inner_text() == "none yet"
    assert page.evaluate("document.activeElement.id") == "specialty-filter"
    fits(page)
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []


def test_application_filter_in_chinese(open_page, live_server, patient, specialties):
    browser_page = signed_in(open_page("phone"), live_server, patient)
    page = browser_page.goto(url_in_language(APPLY, "zh-hant"))
    page.get_by_label("搜尋專科").fill("神經")
    rows = page.locator("#specialty-choices [data-choice]")
    assert [r.inner_text() for r in rows.all() if r.is_visible()] == ["神經內科"]
    assert page.locator("#specialty-filter-status").inner_text() == "有 1 個專科符合。"
    # The English name finds the Chinese label as well.
    page.get_by_label("搜尋專科").fill("otolaryn")
    assert [r.inner_text() for r in rows.all() if r.is_visible()] == ["耳鼻喉科"]
    page.get_by_label("耳鼻喉科").check()
    assert page.get_by_role("button", name="移除： 耳鼻喉科", exact=True).count() == 1
    fits(page)
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_sign_up_consent_box_sits_beside_its_words(open_page, viewport):
    browser_page = open_page(viewport)
    page = browser_page.goto(reverse("account_signup"))
    checkbox = page.locator("main input[type=checkbox]")
    assert checkbox.count() == 1
    label = page.locator(f"label[for='{checkbox.get_attribute('id')}']")
    box_, words = checkbox.bounding_box(), label.bounding_box()
    assert words["x"] >= box_["x"] + box_["width"]  # to its right
    assert words["y"] < box_["y"] + box_["height"]  # and from the same line
    fits(page)
    assert serious_accessibility_violations(page) == []
    assert browser_page.errors == []
