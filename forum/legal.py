"""The site's documents: the privacy notice, the terms of use and the accessibility
statement (their pages: forum/site/legal.py), and the record of consent to the first two.

Each document has a version, the date its text last changed in substance. Sign-up and the
ask form (for anyone whose recorded consent is older than the current versions) ask the
person to agree; `record_consent` stores the versions they saw, with the time and the
language they read them in (forum.models.Consent). Change a document's text in
templates/jinja2/forum/legal/ in both languages, then bump its version here: everyone is
asked again before their next question.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from forum.models import Consent
from forum.reversing import fast_reverse

PRIVACY_VERSION = "2026-12-02"
TERMS_VERSION = "2026-12-02"
ACCESSIBILITY_VERSION = "2026-12-02"

CURRENT_VERSIONS = {
    Consent.Document.PRIVACY: PRIVACY_VERSION,
    Consent.Document.TERMS: TERMS_VERSION,
}


def record_consent(user, language: str | None = None) -> None:
    """Store that `user` agreed to the current privacy notice and terms (idempotent)."""
    language = language or get_language() or "en"
    Consent.objects.bulk_create(
        [
            Consent(user=user, document=document, version=version, language=language)
            for document, version in CURRENT_VERSIONS.items()
        ],
        ignore_conflicts=True,
    )


def has_current_consent(user) -> bool:
    """Whether `user` agreed to the current version of every document that needs it."""
    if not user.is_authenticated:
        return False
    agreed = set(
        Consent.objects.filter(user=user, version__in=set(CURRENT_VERSIONS.values()))
        .values_list("document", "version")
        .order_by()
    )
    return all((document, version) in agreed for document, version in CURRENT_VERSIONS.items())


def consent_label() -> str:
    """The check box's label, with links to both documents (in the active language)."""
    return format_html(
        gettext(
            'I have read the <a href="{privacy}">privacy notice</a> and accept the '
            '<a href="{terms}">terms of use</a>, and I agree that what I write about my '
            "health is processed as they describe."
        ),
        privacy=fast_reverse("forum:privacy"),
        terms=fast_reverse("forum:terms"),
    )


def consent_field() -> forms.BooleanField:
    """The required check box that records consent (sign-up, and the ask form when the
    versions changed since the person last agreed); built per form, in the request's
    language."""
    return forms.BooleanField(
        label=consent_label(),
        error_messages={
            "required": gettext(
                "Please agree to the privacy notice and the terms of use: without it the "
                "site cannot keep what you write about your health."
            )
        },
    )
