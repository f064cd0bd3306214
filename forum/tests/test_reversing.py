"""fast_reverse, reverser and Jinja2's url() build the same URLs as Django's reverse()."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from forum.reversing import fast_reverse, reverser

CASES = [
    ("forum:home", {}),
    ("answers:faqs", {}),
    ("questions:detail", {"pk": 7, "slug": "why-does-my-head-ache"}),
    ("questions:detail", {"pk": 9_223_372_036_854_775_807, "slug": "q"}),
    # Quoted as reverse() quotes them: non-ASCII letters, spaces, "%", "?" and "#".
    ("questions:detail", {"pk": 8, "slug": "頭痛 100%?#x"}),
    ("questions:detail", {"pk": 8, "slug": "a~b!$&'()*+,;=:@c"}),
    ("questions:tag", {"slug": "back-pain"}),
    ("forum:doctor", {"slug": "lin-mei-hua-3"}),
    ("answers:thank", {"pk": 12}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_fast_reverse_matches_reverse(name, kwargs):
    assert fast_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)
    # Called again (from its cache) with other values, still the same as reverse().
    other = {k: (v + 1 if isinstance(v, int) else v + "-2") for k, v in kwargs.items()}
    assert fast_reverse(name, **other) == reverse(name, kwargs=other)


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_reverser_matches_reverse(name, kwargs):
    reverse_one = reverser(name, **{key: type(value) for key, value in kwargs.items()})
    other = {k: (v + 1 if isinstance(v, int) else v + "-2") for k, v in kwargs.items()}
    for values in (kwargs, other):
        assert reverse_one(**values) == reverse(name, kwargs=values)


def test_fast_reverse_follows_the_script_prefix():
    try:
        set_script_prefix("/forum/")
        assert fast_reverse("questions:tag", slug="cough") == "/forum/questions/tags/cough/"
        assert fast_reverse("questions:tag", slug="cough") == reverse(
            "questions:tag", kwargs={"slug": "cough"}
        )
    finally:
        set_script_prefix("/")
    assert fast_reverse("questions:tag", slug="cough") == "/questions/tags/cough/"


def test_jinja2_url_is_fast_reverse():
    template = engines["jinja2"].from_string(
        "{{ url('forum:home') }} {{ url('questions:detail', pk=pk, slug=slug) }}"
    )
    assert template.render({"pk": 3, "slug": "a-b"}) == "/ /questions/3/a-b/"
