"""Who is asking, for logs and throttling: the client's IP as allauth sees it, and keyed
pseudonyms of IPs and log-in e-mails (stable enough to correlate log lines, useless to
reverse; logs never hold the IP or the address itself)."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.crypto import salted_hmac


def client_ip(request) -> str:
    """The client's IP as allauth sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT)."""
    from allauth.account.adapter import get_adapter

    try:
        ip = get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        # One subscriber usually holds a whole /64.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip


def _pseudonym(kind: str, value: str) -> str:
    """A short keyed hash: stable enough to correlate log lines, useless to reverse."""
    return salted_hmac(f"forum.security.{kind}", value).hexdigest()[:12]


def client_ref(request) -> str:
    """A pseudonym of the client's IP for logs (never the IP itself)."""
    if request is None:
        return "-"
    return _pseudonym("client", client_ip(request))


def normalise_login(value) -> str:
    """The form in which an e-mail log-in is compared: trimmed, lower case."""
    return str(value or "").strip().lower()


def account_ref(login) -> str:
    """A pseudonym of a log-in e-mail for logs (never the address itself)."""
    login = normalise_login(login)
    return _pseudonym("account", login) if login else "-"
