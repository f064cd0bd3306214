"""The one place that turns a posted or queried `next` into a redirect.

A `next` value is honoured only when it is a local absolute path ("/moderation/?page=2"):
no scheme, no host, no protocol-relative "//", no backslash, no control character.
Anything else falls back to the caller's default. The result is always redirected as a
URL, never looked up as a URL name (which is what `django.shortcuts.redirect("foo")`
would do, and fail with NoReverseMatch after the action had been committed).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any path the site makes; a longer value is not one of ours.
MAX_NEXT_LENGTH = 2000


def local_path(value: object) -> str | None:
    """`value` when it is a local absolute path that is safe to redirect to, else None."""
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT_LENGTH:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return None
    # Belt and braces: Django's own check (no scheme, no host) must agree.
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return None
    return value


def resolve_default(default: str) -> str:
    """A default given as a path is used as it is; anything else is a URL name."""
    return default if default.startswith("/") else reverse(default)


def safe_next(request: HttpRequest, default: str, value: str | None = None) -> str:
    """The `next` of this request (POST, then GET; or `value` when given) if it is a
    local path, else `default` (a path, or a URL name resolved here)."""
    if value is None:
        value = request.POST.get("next") or request.GET.get("next") or ""
    return local_path(value) or resolve_default(default)


def redirect_to_next(
    request: HttpRequest, default: str, value: str | None = None
) -> HttpResponseRedirect:
    """Redirect to safe_next(...): always a URL, never a URL name."""
    return HttpResponseRedirect(safe_next(request, default, value))
