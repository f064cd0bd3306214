"""E-mail backends for tests: a mail server that is down."""

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """Every send fails as a stopped SMTP server does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")
