"""Password rules: 8+ characters, long passphrases welcome, no composition rules;
common passwords and ones like the e-mail refused."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, email: str, password: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, "consent": "on"},
    )


def test_signup_accepts_a_100_character_passphrase(client):
    passphrase = ("correct horse battery staple " * 4)[:100]
    assert len(passphrase) == 100
    response = sign_up(client, "long@example.org", passphrase)
    assert response.status_code == 302
    assert User.objects.get(email="long@example.org").check_password(passphrase)


def test_signup_refuses_a_password_shorter_than_8_characters(client):
    response = sign_up(client, "short@example.org", "tulip7q")
    assert response.status_code == 200
    assert "at least 8 characters" in response.content.decode()
    assert not User.objects.filter(email="short@example.org").exists()


def test_signup_refuses_a_common_password(client):
    response = sign_up(client, "common@example.org", "password123")
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="common@example.org").exists()


def test_signup_refuses_a_password_too_like_the_e_mail(client):
    response = sign_up(client, "margaret.hollowell@example.org", "margaret.hollowell")
    assert "too similar" in response.content.decode()
    assert not User.objects.filter(email="margaret.hollowell@example.org").exists()


@pytest.mark.parametrize(
    "password",
    [
        "lowercase only words",  # no digits, capitals or symbols
        "83920571648302",  # digits only, long and not common
        "ABCDEFGHQWERTY",
    ],
)
def test_no_composition_rules(password):
    validate_password(password, User(email="someone@example.org"))


def test_eight_characters_are_enough():
    validate_password("tulip7qz", User(email="someone@example.org"))
    with pytest.raises(ValidationError):
        validate_password("tulip7q", User(email="someone@example.org"))
