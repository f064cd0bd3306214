import json

import pytest

from questions.templatetags.qa_page import hm, iso, jsonld, plaintext, shift_headings, ymd, ymdhm

LINK = '<a href="{href}" rel="nofollow ugc noopener">{text}</a>'


def test_plaintext_escapes_and_keeps_paragraphs_and_line_breaks():
    html = plaintext("Fever <b>38.5</b> & chills\r\nsince Monday\n\n\n  Thanks")
    assert (
        html == "<p>Fever &lt;b&gt;38.5&lt;/b&gt; &amp; chills<br>since Monday</p>\n<p>Thanks</p>"
    )


def test_plaintext_of_nothing_is_empty():
    assert plaintext("") == "" and plaintext(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "See https://example.org/page.",
            "See "
            + LINK.format(href="https://example.org/page", text="https://example.org/page")
            + ".",
        ),
        (
            "(www.example.org/a_(b))!",
            "("
            + LINK.format(href="https://www.example.org/a_(b)", text="www.example.org/a_(b)")
            + ")!",
        ),
        (
            'http://example.org/?q="x"&y=1',
            LINK.format(href="http://example.org/?q=", text="http://example.org/?q=")
            + "&quot;x&quot;&amp;y=1",
        ),
    ],
)
def test_plaintext_links_urls_with_nofollow_ugc_noopener(text, expected):
    assert plaintext(text) == f"<p>{expected}</p>"


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "data:text/html,<script>", "ftp://example.org", "http://"]
)
def test_plaintext_never_links_other_schemes(text):
    assert "<a " not in plaintext(text)


def test_jsonld_cannot_close_its_script_element():
    html = jsonld({"text": "</script><script>alert('x & y')</script>"})
    assert html.startswith('<script type="application/ld+json">')
    assert html.count("</script>") == 1
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(payload) == {"text": "</script><script>alert('x & y')</script>"}


def test_shift_headings_moves_article_headings_under_the_page():
    html = shift_headings("<h2>Causes</h2><p>h2 text</p><h5 id='x'>Deep</h5><h6>Max</h6>", 2)
    assert html == "<h4>Causes</h4><p>h2 text</p><h6 id='x'>Deep</h6><h6>Max</h6>"


def test_dates_match_djangos_date_filter_in_the_site_time_zone():
    from datetime import UTC, date, datetime

    from django.template import engines

    late_evening_utc = datetime(2024, 5, 1, 20, 30, tzinfo=UTC)  # 2 May in Taipei
    django_dates = engines["django"].from_string("{{ d|date:'Y/m/d' }} {{ d|date:'c' }}")
    assert f"{ymd(late_evening_utc)} {iso(late_evening_utc)}" == django_dates.render(
        {"d": late_evening_utc}
    )
    assert ymd(late_evening_utc) == "2024/05/02"
    assert iso(late_evening_utc) == "2024-05-02T04:30:00+08:00"
    assert ymd(date(2024, 1, 9)) == "2024/01/09"
    assert iso(date(2024, 1, 9)) == "2024-01-09"
    assert ymd(None) == iso(None) == ""


def test_times_of_day_carry_their_zone(settings):
    from datetime import UTC, datetime

    late_evening_utc = datetime(2024, 5, 1, 20, 30, tzinfo=UTC)
    assert ymdhm(late_evening_utc) == "2024/05/02 04:30 UTC+8"
    assert hm(late_evening_utc) == "04:30 UTC+8"
    settings.TIME_ZONE = "Asia/Kolkata"
    assert ymdhm(late_evening_utc) == "2024/05/02 02:00 UTC+5:30"
    settings.TIME_ZONE = "UTC"
    assert hm(late_evening_utc) == "20:30 UTC"
    assert ymdhm(None) == hm(None) == ""


@pytest.mark.django_db
def test_moderation_queue_shows_when_a_question_was_asked_with_the_zone(client):
    from django.urls import reverse

    from forum.tests.factories import ModeratorFactory
    from forum.tests.two_factor import sign_in
    from questions.tests.factories import QuestionFactory

    question = QuestionFactory(status="pending")
    sign_in(client, ModeratorFactory())
    html = client.get(reverse("answers:moderation")).content.decode()
    assert f"{ymdhm(question.created_at)}</time>" in html
    assert " UTC+8</time>" in html


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        # English: as Django's truncatechars.
        ("One two three four five", 12, "One two thr…"),
        ("Short", 10, "Short"),
        # Chinese: after the sentence mark in the last half, else between characters.
        ("我最近頭痛很嚴重。已經持續兩個禮拜了每天早上都會痛", 16, "我最近頭痛很嚴重…"),
        ("已經持續兩個禮拜了每天早上起床都會痛", 10, "已經持續兩個禮拜了…"),
        ("頭痛😷\u200d很久", 4, "頭痛…"),
    ],
)
def test_excerpt_filter_cuts_chinese_by_characters_and_punctuation(text, length, expected):
    from django.template import Context, Template

    rendered = Template("{% load excerpts %}{{ text|excerpt:length }}").render(
        Context({"text": text, "length": length})
    )
    assert rendered == expected
    assert len(rendered) <= length
