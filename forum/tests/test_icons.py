"""The site's icons (forum/site/icons.py): defined once, drawn inline by both engines,
hidden from assistive technology beside the words they illustrate."""

import json
import re

import pytest
from django.template import engines
from django.urls import reverse

from forum.site import icons
from forum.tests.external import ROOT


def test_every_specialty_of_the_fixtures_has_its_own_drawing():
    specialties = json.loads((ROOT / "fixtures" / "specialties.json").read_text())
    slugs = {item["fields"]["slug"] for item in specialties}
    assert slugs <= set(icons.SPECIALTY_ICONS)
    assert set(icons.SPECIALTY_ICONS.values()) <= set(icons.ICONS)
    # One drawing per specialty: two specialties never look the same.
    assert len(set(icons.SPECIALTY_ICONS.values())) == len(icons.SPECIALTY_ICONS)


def test_a_new_specialty_gets_the_cross_until_it_has_a_drawing():
    assert icons.specialty_icon("sleep-medicine") == icons.icon("cross", "icon-specialty")


def test_an_icon_is_decorative_and_takes_the_text_colour():
    svg = icons.icon("search")
    assert svg.startswith('<svg class="icon" viewBox="0 0 24 24"')
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    assert 'stroke="currentColor"' in svg and 'fill="none"' in svg
    # No colour of its own anywhere in any drawing: the CSS custom properties colour it.
    for body in icons.ICONS.values():
        assert not re.search(r"(fill|stroke|style|color)=", body), body


def test_an_unknown_icon_fails_loudly():
    with pytest.raises(KeyError):
        icons.icon("no-such-icon")


def test_both_engines_draw_the_same_icon():
    django_engine = engines["django"].from_string(
        '{% load site_chrome %}{% icon "edit" %}{% specialty_icon "cardiology" "x" %}'
    )
    jinja_engine = engines["jinja2"].from_string(
        '{{ icon("edit") }}{{ specialty_icon("cardiology", "x") }}'
    )
    expected = icons.icon("edit") + icons.specialty_icon("cardiology", "x")
    assert django_engine.render({}) == jinja_engine.render({}) == expected
    assert 'class="icon icon-specialty x"' in expected


@pytest.mark.django_db
def test_header_ask_link_and_search_button_keep_their_words(client):
    html = client.get(reverse("forum:home")).content.decode()
    assert f'href="{reverse("questions:ask")}">{icons.icon("ask")}Ask a doctor</a>' in html
    # The word is in its own span, which phones hide visually (the button keeps its name).
    label = '<span class="button-label">Search</span>'
    assert f'<button type="submit">{icons.icon("search")}{label}</button>' in html


@pytest.mark.django_db
def test_home_specialty_list_shows_each_specialty_icon(client, specialty):
    html = client.get(reverse("forum:home")).content.decode()
    assert f"{icons.specialty_icon(specialty.slug)}{specialty.localized_name}</a>" in html


@pytest.mark.django_db
def test_qa_page_links_its_specialty_with_its_icon(client, question):
    html = client.get(question.get_absolute_url()).content.decode()
    specialty = question.specialty
    assert (
        f'<p class="qa-specialty"><a href="{specialty.get_absolute_url()}">'
        f"{icons.specialty_icon(specialty.slug)}{specialty.localized_name}</a></p>"
    ) in html
