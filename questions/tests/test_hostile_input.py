"""Property-based: no slug, id or page number on the Q&A and tag pages gives a 500."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from answers.tests.factories import ReplyFactory
from forum.tests.hostile import assert_not_a_server_error, hostile_settings, hostile_text, url_quote
from questions.tests.factories import TagFactory

pytestmark = pytest.mark.django_db

not_a_dot_segment = hostile_text.filter(lambda s: s not in ("", ".", ".."))


@pytest.fixture
def tagged(doctor, question):
    question.tags.add(TagFactory(name="headache"))
    ReplyFactory(question=question, doctor=doctor)
    return question


@hostile_settings
@given(slug=not_a_dot_segment)
def test_any_slug_on_a_question_redirects_to_the_canonical_page(client, tagged, slug):
    response = client.get(f"/questions/{tagged.pk}/{url_quote(slug)}/")
    assert_not_a_server_error(response)
    if slug == tagged.slug:
        assert response.status_code == 200
    else:
        assert response.status_code in (301, 404)
        if response.status_code == 301:
            assert response["Location"] == tagged.get_absolute_url()


@hostile_settings
@given(pk=st.integers(min_value=0, max_value=10**30), slug=not_a_dot_segment)
def test_any_question_id_is_a_page_or_a_404(client, tagged, pk, slug):
    for path in [f"/questions/{pk}/", f"/questions/{pk}/{url_quote(slug)}/"]:
        response = client.get(path)
        assert_not_a_server_error(response)
        assert response.status_code in (200, 301, 404)


@hostile_settings
@given(slug=not_a_dot_segment)
def test_any_tag_slug_is_a_page_or_a_404(client, tagged, slug):
    response = client.get(f"/questions/tags/{url_quote(slug)}/")
    assert_not_a_server_error(response)
    assert response.status_code in (200, 404)


@hostile_settings
@given(page=hostile_text)
def test_page_numbers_never_break_the_tag_page(client, tagged, page):
    response = client.get(f"/questions/tags/headache/?page={url_quote(page)}")
    assert_not_a_server_error(response)
    assert response.status_code == 200
    assert b"headache" in response.content
