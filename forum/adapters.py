"""django-allauth adapter: account e-mails through the outbox, and no e-mail address on pages."""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from forum.mail import language_for, queue_email
from forum.models import User
from forum.redirects import local_path

logger = logging.getLogger("forum.accounts")


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url) -> bool:
        """allauth's `next` follows the site's one rule (forum/redirects.py): a local
        absolute path only."""
        return local_path(url) is not None

    def get_reauthentication_methods(self, user) -> list[dict]:
        """An account with an authenticator re-authenticates with it, never with the
        password or an e-mailed code alone: a stolen password or mailbox must not open
        the recovery codes."""
        methods = super().get_reauthentication_methods(user)
        if any(method["id"].startswith("mfa_") for method in methods):
            methods = [method for method in methods if method["id"].startswith("mfa_")]
        return methods

    def save_user(self, request, user, form, commit=True):
        """A new account keeps the language of the page it signed up on (forum/urls.py:
        allauth is under the language prefixes): its e-mails go out in it."""
        user.language = translation.get_language() or ""
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the recipient's language and queue in the outbox (forum/mail.py), in
        the transaction of the sign-up or reset: the worker sends it, retrying while the
        mail server is down, so sign-up and a password reset never fail on it. Account
        security mail is essential: no unsubscribe link."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        user = ctx.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        # Someone not (yet) known by this address gets the language they are using now.
        language = language_for(user) if user is not None else translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        queue_email(
            to=email,
            subject=message.subject,
            body=message.body,
            html_body=html,
            kind=template_prefix,
            recipient=user,
            from_email=message.from_email,
            headers=dict(message.extra_headers),
        )

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ) -> None:
        # allauth's "Successfully signed in as <e-mail>." would put the address on the page.
        if message_template == "account/messages/logged_in.txt":
            message_template, message = None, "You are logged in."
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )
