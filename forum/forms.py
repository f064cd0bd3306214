"""Forms of the bottom app: allauth's sign-up form gains the consent check box."""

from __future__ import annotations

from django import forms

from forum.legal import consent_field, record_consent


class SignupForm(forms.Form):
    """Added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS): the privacy notice
    and terms, agreed to before the account exists, recorded with their versions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = consent_field()

    def signup(self, request, user) -> None:
        record_consent(user)
