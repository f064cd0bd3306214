"""Response headers: the Content-Security-Policy (django-csp, with two narrow scoped
exceptions) and the headers Django does not set itself (Permissions-Policy,
Cross-Origin-Resource-Policy, no caching of signed-in pages). Django's
SecurityMiddleware sets the others (HSTS, nosniff, Referrer-Policy, COOP)."""

from __future__ import annotations

import base64
import functools
import hashlib
import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.template.loader import get_template
from django.utils.cache import patch_cache_control

from forum.security.paths import path_of
from forum.security.sessions import signed_in_user


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline element text."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


@functools.cache
def admin_inline_style_hashes() -> tuple[str, ...]:
    """CSP hashes of the one inline <style> Django's admin ships (change_list.html
    adds it for a model admin with actions switched off)."""
    source = get_template("admin/change_list.html").template.source
    return tuple(
        csp_hash(body) for body in re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    )


def scoped_csp_sources(path: str) -> dict[str, tuple[str, ...]]:
    """What the site-wide policy adds on this path, and only there:

    - under the admin, the hash of the admin's one inline <style> (only that exact
      text is allowed, not 'unsafe-inline');
    - on allauth's "activate authenticator" page, data: images, because the TOTP QR
      code is an SVG data: URI."""
    sources: dict[str, tuple[str, ...]] = {}
    admin_prefix = path_of("admin:index")
    if admin_prefix and path.startswith(admin_prefix):
        sources["style-src"] = admin_inline_style_hashes()
    if path == path_of("mfa_activate_totp"):
        sources["img-src"] = ("data:",)
    return sources


def _as_list(sources) -> list[str]:
    # django-csp takes a directive's sources as one string, a list, a tuple or a set.
    if sources is None:
        return []
    if isinstance(sources, str):
        return [sources]
    return sorted(sources) if isinstance(sources, set) else list(sources)


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the scoped exceptions of scoped_csp_sources.

    They are added through get_policy_parts, the hook django-csp documents for
    subclasses ("Can be customised by subclassing and extending the get_policy_parts
    method"; its own RateLimitedCSPMiddleware does the same), on top of whatever the
    response asked for with django-csp's decorators. Everything else (nonce, exempt
    responses, excluded URL prefixes, the report-only policy) is django-csp's own."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        extra = scoped_csp_sources(request.path_info)
        if extra:
            # A copy: a decorator's dict is shared by every response of its view.
            update = dict(parts.update or {})
            for directive, sources in extra.items():
                update[directive] = [*_as_list(update.get(directive)), *sources]
            parts.update = update
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy, Cross-Origin-Resource-Policy, and no shared or back-button
    caching of pages for a signed-in person (they may hold health data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = signed_in_user(request)
        if user is not None and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
