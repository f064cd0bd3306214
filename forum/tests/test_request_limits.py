"""Request size limits: oversized bodies and too many fields are a 400, never a 500."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from forum.models import User

pytestmark = pytest.mark.django_db

ONE_MB = 1024 * 1024


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "admin:login"])
def test_one_megabyte_form_body_is_rejected_with_400(client, url_name):
    body = urlencode({"email": "big@example.org", "password": "x" * ONE_MB})
    response = client.post(
        reverse(url_name), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_one_megabyte_signup_stores_no_account(client):
    body = urlencode(
        {"email": "big@example.org", "password1": "p" * ONE_MB, "password2": "p" * ONE_MB}
    )
    client.post(
        reverse("account_signup"), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert not User.objects.filter(email="big@example.org").exists()


def test_one_megabyte_multipart_body_is_rejected_with_400(client):
    response = client.post(
        reverse("account_login"), {"login": "a@example.org", "password": "x" * ONE_MB}
    )
    assert response.status_code == 400


def test_too_many_form_fields_are_rejected_with_400(client, settings):
    fields = [(f"field{n}", "1") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)]
    response = client.post(
        reverse("account_login"),
        data=urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_normal_sized_login_post_is_answered_with_the_form(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert b"nobody@example.org" in response.content


def test_one_megabyte_query_string_is_not_a_server_error(client):
    response = client.get(reverse("forum:home"), {"page": "9" * ONE_MB})
    assert response.status_code < 500
