import json

import pytest

from questions.templatetags.qa_page import jsonld, plaintext, shift_headings

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
