"""Property-based: no query parameter, path or form field of the site-wide pages gives a 500."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from forum.models import User
from forum.tests.hostile import (
    assert_not_a_server_error,
    form_body,
    hostile_settings,
    hostile_text,
    url_quote,
)

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def listed(doctor, question):
    """A specialty page with an answered question, so page numbers have something to page."""
    from answers.tests.factories import ReplyFactory

    ReplyFactory(question=question, doctor=doctor)
    return question


@hostile_settings
@given(page=hostile_text)
def test_page_numbers_never_break_home_or_specialty_pages(client, listed, page):
    for path in ["/", "/specialties/neurology/", "/faq/"]:
        response = client.get(f"{path}?page={url_quote(page)}")
        assert_not_a_server_error(response)
        assert response.status_code == 200


@hostile_settings
@given(slug=hostile_text.filter(lambda s: s not in ("", ".", "..")))
def test_any_slug_is_a_404_on_specialty_and_doctor_pages(client, listed, slug):
    for prefix in ["/specialties/", "/doctors/"]:
        response = client.get(f"{prefix}{url_quote(slug)}/")
        assert_not_a_server_error(response)
        assert response.status_code == 404


@hostile_settings
@given(query=hostile_text, key=st.sampled_from(["q", "page", "tag", "specialty", "sort"]))
def test_search_and_unknown_parameters_never_give_a_server_error(client, listed, query, key):
    """Search is checked once it exists (a 404 until then) with every parameter name."""
    for path in ["/search/", "/", "/healthz"]:
        assert_not_a_server_error(client.get(f"{path}?{key}={url_quote(query)}"))


@hostile_settings
@given(login=hostile_text, password=hostile_text)
def test_log_in_form_answers_any_input_with_the_form(client, patient, login, password):
    cache.clear()  # allauth's failed-login rate limit would otherwise answer 429
    response = client.post(
        "/accounts/login/",
        data=form_body({"login": login, "password": password}),
        content_type=FORM,
    )
    assert_not_a_server_error(response)
    assert response.status_code == 200


@hostile_settings
@given(email=hostile_text, password=hostile_text)
def test_sign_up_form_stores_a_whole_account_or_nothing(client, email, password):
    cache.clear()
    before = User.objects.count()
    response = client.post(
        "/accounts/signup/",
        data=form_body({"email": email, "password1": password, "password2": password}),
        content_type=FORM,
    )
    assert_not_a_server_error(response)
    if response.status_code == 302:
        user = User.objects.latest("pk")
        assert EmailAddress.objects.filter(user=user, email__iexact=user.email).count() == 1
        user.delete()
    else:
        assert response.status_code == 200
        assert User.objects.count() == before


@hostile_settings
@given(email=hostile_text)
def test_password_reset_form_answers_any_input(client, email):
    cache.clear()
    response = client.post(
        "/accounts/password/reset/", data=form_body({"email": email}), content_type=FORM
    )
    assert_not_a_server_error(response)
    assert response.status_code in (200, 302)
