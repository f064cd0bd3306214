"""forum.redirects: a `next` is honoured only as a local absolute path (issue 14, finding 7)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.redirects import MAX_NEXT_LENGTH, local_path, redirect_to_next, safe_next
from forum.tests.factories import PASSWORD

HOSTILE = [
    "foo",  # a relative path: redirect() would look it up as a URL name
    "answers:moderation",  # a URL name is not a path either
    "//evil.example",
    "//evil.example/moderation/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "https://evil.example/moderation/",
    "http:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " /moderation/",  # leading white space: browsers strip it, "// " tricks follow
    "\t//evil.example",
    "/\t/evil.example",  # browsers drop tabs and newlines: this would become //evil
    "/\n/evil.example",
    "/\r/evil.example",
    "/moderation/\x00",
    "/moderation/\x7f",
    "/moderation/\x1b[31m",
    "",
    "/" + "a" * MAX_NEXT_LENGTH,
]

LOCAL = [
    "/",
    "/moderation/",
    "/moderation/?page=2",
    "/ok?x=1",
    "/moderation/replies/?status=held&page=3",
    "/questions/12/headache/#replies",
    "/zh-hant/questions/12/頭痛/",
    "/" + "a" * (MAX_NEXT_LENGTH - 1),
]


@pytest.mark.parametrize("value", HOSTILE)
def test_local_path_refuses_a_value_that_is_not_a_local_absolute_path(value):
    assert local_path(value) is None


@pytest.mark.parametrize("value", LOCAL)
def test_local_path_keeps_a_local_absolute_path_as_it_is(value):
    assert local_path(value) == value


@pytest.mark.parametrize("value", [None, 1, b"/moderation/", ["/moderation/"]])
def test_local_path_refuses_what_is_not_text(value):
    assert local_path(value) is None


def test_safe_next_reads_post_then_get_and_falls_back_to_the_default():
    factory = RequestFactory()
    posted = factory.post("/x/?next=/from-get/", {"next": "/from-post/"})
    assert safe_next(posted, "answers:moderation") == "/from-post/"
    queried = factory.get("/x/", {"next": "/from-get/?page=2"})
    assert safe_next(queried, "answers:moderation") == "/from-get/?page=2"
    hostile = factory.post("/x/", {"next": "foo"})
    assert safe_next(hostile, "answers:moderation") == "/moderation/"
    assert safe_next(hostile, "/doctor/") == "/doctor/"
    assert safe_next(factory.get("/x/"), "/doctor/", value="//evil.example") == "/doctor/"


@pytest.mark.parametrize("value", HOSTILE)
def test_redirect_to_next_sends_a_hostile_value_to_the_default_as_a_url(value):
    request = RequestFactory().post("/x/", {"next": value})
    response = redirect_to_next(request, "answers:moderation")
    assert (response.status_code, response["Location"]) == (302, "/moderation/")


@settings(max_examples=50, deadline=None)
@given(value=st.one_of(st.text(), st.text().map(lambda text: "/" + text)))
def test_redirect_to_next_stays_on_the_site_for_any_text(value):
    request = RequestFactory().post("/x/", {"next": value})
    location = redirect_to_next(request, "answers:moderation")["Location"]
    assert location.startswith("/")
    assert not location.startswith("//")
    assert "\\" not in location
    assert all(0x20 < ord(char) < 0x7F for char in location)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_value", ["foo", "https://evil.example/", "//evil.example/", "/\\evil.example"]
)
def test_site_log_in_follows_the_same_next_rule(client, patient, next_value):
    response = client.post(
        reverse("account_login") + "?" + urlencode({"next": next_value}),
        {"login": patient.email, "password": PASSWORD, "next": next_value},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:home")
