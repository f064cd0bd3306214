"""The ask form's shortest title and text follow the language they are written in."""

import pytest

from questions.forms import AskForm

pytestmark = pytest.mark.django_db


def form(specialty, **fields):
    data = {
        "nickname": "小美",
        "subject": "self",
        "age_range": "20~29",
        "sex": "female",
        "specialty": specialty.pk,
        "title": "頭痛三天怎麼辦",
        "body": "這三天每天下午都頭痛，吃了止痛藥也沒有好轉。",
        "tags": "頭痛",
        "consent": "on",
    }
    data.update(fields)
    return AskForm(data)


def test_a_short_chinese_title_and_text_are_enough(specialty):
    ask = form(specialty)
    assert "title" not in ask.errors and "body" not in ask.errors, ask.errors


def test_chinese_still_has_a_floor(specialty):
    ask = form(specialty, title="頭痛", body="頭很痛怎麼辦")
    assert ask.errors["title"] == [
        "The title is too short: please use at least 5 characters (it has 2)."
    ]
    assert ask.errors["body"] == [
        "Please tell the doctors a little more: at least 15 characters (it has 6)."
    ]


def test_english_keeps_its_minimums(specialty):
    ask = form(specialty, title="Headache", body="It hurts every day.")
    assert ask.errors["title"] == [
        "The title is too short: please use at least 10 characters (it has 8)."
    ]
    assert ask.errors["body"] == [
        "Please tell the doctors a little more: at least 30 characters (it has 19)."
    ]
