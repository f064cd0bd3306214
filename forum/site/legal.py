"""The pages of the site's documents: privacy notice, terms of use, accessibility
statement (forum/legal.py holds their versions and the consent record).

A document is translated as a whole, not sentence by sentence: each has one template per
language under templates/jinja2/forum/legal/ (`privacy.en.html`, `privacy.zh-hant.html`),
so a lawyer or a reviewer reads and signs off one continuous text in each language.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from forum import legal


def _document(request, name: str, version: str):
    language = get_language() if get_language() in dict(settings.LANGUAGES) else "en"
    return render(
        request,
        f"forum/legal/{name}.{language}.html",
        {
            "version": version,
            "retention": {
                "closed_question_days": settings.RETENTION_CLOSED_QUESTION_DAYS,
                "unverified_signup_days": settings.RETENTION_UNVERIFIED_SIGNUP_DAYS,
                "expired_claim_days": settings.RETENTION_EXPIRED_CLAIM_DAYS,
                "sent_email_days": settings.RETENTION_SENT_EMAIL_DAYS,
                "failed_email_days": settings.RETENTION_FAILED_EMAIL_DAYS,
            },
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "operator": settings.SITE_OPERATOR,
        },
    )


def privacy_notice(request):
    return _document(request, "privacy", legal.PRIVACY_VERSION)


def terms_of_use(request):
    return _document(request, "terms", legal.TERMS_VERSION)


def accessibility_statement(request):
    return _document(request, "accessibility", legal.ACCESSIBILITY_VERSION)
