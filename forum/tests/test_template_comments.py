"""Django's template engine reads {# ... #} on one line only: a comment that runs over
several lines is printed on the page as text. (Jinja2's comments may span lines.)"""

from __future__ import annotations

from forum.tests.external import ROOT

TEMPLATES = ROOT / "templates"


def test_no_django_template_has_a_comment_spanning_lines():
    jinja = TEMPLATES / "jinja2"
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt"} and jinja not in path.parents
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []
