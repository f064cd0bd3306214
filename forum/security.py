"""The site-wide security layer.

Everything here is middleware, an authentication backend or a view mounted over
/admin/login/, so it applies to every page, including pages built later, without
the page opting in:

- SecurityHeadersMiddleware: Permissions-Policy, Cross-Origin-Resource-Policy,
  no caching of signed-in pages, and the two narrow CSP exceptions (see below).
  The other headers come from Django's SecurityMiddleware and django-csp (through
  SitePolicyCSPMiddleware, which builds the site-wide policy once).
- StaffIdleTimeoutMiddleware: sessions of moderators, editors and staff end on
  the server after STAFF_IDLE_TIMEOUT_SECONDS without a request.
- TwoFactorRequiredMiddleware: moderators, editors and staff reach the
  moderation queue and the admin only with a TOTP authenticator and a session
  that passed it.
- LoginThrottleBackend and admin_login: the 6th failed password check within
  the window is refused, per client IP and per account, on every log-in form.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from forum import roles
from forum.redirects import safe_next
from forum.reversing import fast_reverse

logger = logging.getLogger("forum.security")

LAST_ACTIVITY_SESSION_KEY = "security.last_activity"
# Whether the session's user must use two-factor and gets the idle timeout,
# remembered at log-in so ordinary pages cost no role query.
PRIVILEGED_SESSION_KEY = "security.privileged"
# The idle clock is written to the session at most this often (seconds), so a
# busy moderator does not cost a session write on every request.
LAST_ACTIVITY_RESOLUTION = 60


# --- Client references for logs and throttling -----------------------------


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


# --- Log-in throttling -------------------------------------------------------


def _throttle_keys(request, login) -> list[str]:
    keys = [f"security:login-failures:client:{_pseudonym('throttle', client_ip(request))}"]
    login = normalise_login(login)
    if login:
        keys.append(f"security:login-failures:account:{_pseudonym('throttle', login)}")
    return keys


def _recent(history, now: float) -> list[float]:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    return [stamp for stamp in (history or []) if stamp > now - window]


@contextmanager
def _locked(key: str) -> Iterator[None]:
    """A short cache lock so parallel failures are all counted."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + 1
    while not cache.add(lock, 1, timeout=5) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield
    finally:
        cache.delete(lock)


def login_refused(request, login) -> bool:
    """True when this client or this account failed too often in the window."""
    now = time.time()
    return any(
        len(_recent(cache.get(key), now)) >= settings.LOGIN_FAILURE_LIMIT
        for key in _throttle_keys(request, login)
    )


def record_login_failure(request, login) -> None:
    """Count one failed password check against the client and the account."""
    now = time.time()
    for key in _throttle_keys(request, login):
        with _locked(key):
            history = _recent(cache.get(key), now)
            history.append(now)
            cache.set(key, history, settings.LOGIN_FAILURE_WINDOW_SECONDS)


class LoginThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every password check (admin
    form, allauth's log-in and re-authentication, anything calling Django's
    authenticate()) for a client or account that failed LOGIN_FAILURE_LIMIT
    times within LOGIN_FAILURE_WINDOW_SECONDS. Failures are counted by the
    user_login_failed receiver in forum.signals."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        login = credentials.get("email") or credentials.get("username")
        if login_refused(request, login):
            request._login_throttled = True
            logger.warning(
                "login refused: too many failures client=%s account=%s",
                client_ref(request),
                account_ref(login),
            )
            # PermissionDenied stops Django from asking the other backends.
            raise PermissionDenied("Too many failed log-in attempts.")
        return None

    # No get_user(): this backend never logs anyone in, and without it Django's
    # force_login() and session loading skip it.


@never_cache
def admin_login(request):
    """/admin/login/, mounted over Django admin's own log-in form.

    Every account that may use the admin must log in with two-factor, and only the
    site log-in (allauth) has that step, so nothing here checks a password or makes a
    session: a GET or a POST (a script, an old bookmark's form) is sent to the site
    log-in, with its `next`. Staff already signed in go on to `next`."""
    next_url = safe_next(request, "admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied("The admin is for staff only.")
    login_url = f"{reverse('account_login')}?{urlencode({'next': next_url})}"
    if request.method == "POST":
        logger.info("admin log-in form refused client=%s", client_ref(request))
        # 303: the browser follows with a GET, so the password is not posted again.
        return HttpResponseRedirect(login_url, status=303)
    return HttpResponseRedirect(login_url)


# --- Which paths need what ---------------------------------------------------


def _path_of(name: str, fallback: str | None = None) -> str | None:
    """The path of a URL name, resolved at request time so features that land
    later are guarded by name; the fallback keeps the guard on before they do."""
    try:
        return fast_reverse(name)  # reverse() once per process: this runs on every request
    except NoReverseMatch:
        return fallback


def two_factor_paths() -> list[str]:
    """Path prefixes that moderators, editors and staff reach only after two-factor
    (settings.TWO_FACTOR_REQUIRED_URLS: URL names, each with a fallback prefix)."""
    prefixes = [_path_of(name, fallback) for name, fallback in settings.TWO_FACTOR_REQUIRED_URLS]
    return [prefix for prefix in prefixes if prefix]


def _two_factor_exempt_paths() -> list[str]:
    names = ["admin:login", "admin:logout"]
    return [path for path in (_path_of(name) for name in names) if path]


def needs_two_factor_for_path(path: str) -> bool:
    if path in _two_factor_exempt_paths():
        return False
    return any(path.startswith(prefix) for prefix in two_factor_paths())


def session_passed_two_factor(request) -> bool:
    """True when this session's log-in (or a later re-authentication) used an
    authenticator; allauth keeps that record in the session."""
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Middleware --------------------------------------------------------------


def signed_in_user(request):
    """request.user when signed in, else None. None too when the database is
    unreachable: the view then meets the same error and answers the friendly 503
    page (forum.middleware), where an error raised here would be a bare 500.
    Nothing is let through: without the database no one is signed in."""
    user = getattr(request, "user", None)
    try:
        return user if user is not None and user.is_authenticated else None
    except (OperationalError, InterfaceError):
        return None


@functools.cache
def admin_inline_style_hashes() -> tuple[str, ...]:
    """CSP hashes of the one inline <style> Django's admin ships (change_list.html
    adds it for a model admin with actions switched off)."""
    source = get_template("admin/change_list.html").template.source
    return tuple(
        csp_hash(body) for body in re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    )


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline element text."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


# What makes a response's policy its own (django-csp's decorators and our updates).
PER_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once.

    django-csp builds the header from settings on every response, about 0.15 ms each
    here (a thirtieth of a Q&A page). Most responses carry the site-wide policy as it
    is: no nonce, nothing set for that response. Those get the headers built once; the
    rest (and everything with debug on or excluded URL prefixes) go through django-csp
    unchanged. forum/tests/test_security_headers.py checks both give the same headers."""

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) for name in PER_RESPONSE_POLICY)
            or _excluded_prefixes()
        ):
            return super().process_response(request, response)
        policy, report_only = _site_policy()
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after this point is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _site_policy() -> tuple[str, str]:
    return build_policy(), build_policy(report_only=True)


@functools.cache
def _excluded_prefixes() -> bool:
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


@receiver(setting_changed)
def _csp_settings_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):  # only tests change them
        _site_policy.cache_clear()
        _excluded_prefixes.cache_clear()


def _update_csp(response, directive: str, sources) -> None:
    update = dict(getattr(response, "_csp_update", None) or {})
    update[directive] = [*update.get(directive, []), *sources]
    response._csp_update = update


class SecurityHeadersMiddleware:
    """Headers Django does not set itself, and the two scoped CSP exceptions:

    - under the admin, the hash of the admin's one inline <style> (only that
      exact text is allowed, not 'unsafe-inline');
    - on allauth's "activate authenticator" page, data: images, because the TOTP
      QR code is an SVG data: URI.

    Must sit inside the CSP middleware so its updates are seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = signed_in_user(request)
        if user is not None and not response.has_header("Cache-Control"):
            # Pages for a signed-in person may hold health data: no shared or
            # back-button caches.
            patch_cache_control(response, private=True, no_store=True)
        admin_prefix = _path_of("admin:index")
        if admin_prefix and request.path_info.startswith(admin_prefix):
            _update_csp(response, "style-src", admin_inline_style_hashes())
        if request.path_info == _path_of("mfa_activate_totp"):
            _update_csp(response, "img-src", ["data:"])
        return response


def is_privileged_session(request) -> bool:
    """Whether this session's user is a moderator, editor or staff member, as
    recorded at log-in (or found now, for a session from before the record)."""
    privileged = request.session.get(PRIVILEGED_SESSION_KEY)
    if privileged is None:
        privileged = roles.needs_two_factor(request.user)
        request.session[PRIVILEGED_SESSION_KEY] = privileged
    return privileged


class StaffIdleTimeoutMiddleware:
    """Ends the session of a moderator, editor or staff member (server-side: the
    session is flushed) after STAFF_IDLE_TIMEOUT_SECONDS without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = signed_in_user(request)
        if user is not None and is_privileged_session(request):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                user_id = user.pk
                logout(request)
                logger.info("session ended after inactivity user=%s", user_id)
                minutes = settings.STAFF_IDLE_TIMEOUT_SECONDS // 60
                messages.info(
                    request,
                    f"You were logged out after {minutes} minutes without activity. "
                    "Please log in again.",
                )
                login_url = reverse("account_login")
                if request.method == "GET":
                    login_url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(login_url)
            if last is None or now - last >= LAST_ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


def _two_factor_step_paths() -> list[str]:
    """Where a privileged session that has not passed two-factor may still go: the
    two-factor pages (set-up, the code step), the password re-authentication that
    set-up asks for first, and log-out (the site's and the admin's)."""
    names = ["mfa_index", "account_reauthenticate", "account_logout", "admin:logout"]
    return [path for path in (_path_of(name) for name in names) if path]


def _two_factor_management_paths() -> list[str]:
    """allauth's pages that show or change authenticators and recovery codes."""
    names = [
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_deactivate_totp",
        "mfa_activate_totp",
    ]
    return [path for path in (_path_of(name) for name in names) if path]


def has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


def session_passed_two_factor_recently(request, user=None) -> bool:
    """True when this session used an authenticator (at log-in or since) within
    allauth's re-authentication timeout."""
    from allauth.account import app_settings as account_settings
    from allauth.account.authentication import get_authentication_records

    since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "mfa" and record.get("at", 0) > since
        for record in get_authentication_records(request, user or request.user)
    )


def ask_for_two_factor(request, user):
    """The redirect that sends a privileged session without two-factor to set up an
    authenticator (none yet) or to confirm a code (one exists), then back here."""
    next_path = request.get_full_path() if request.method == "GET" else request.path
    if not has_totp(user):
        logger.info("two-factor setup required user=%s", user.pk)
        messages.warning(
            request,
            "Moderators, editors and staff must turn on two-factor authentication "
            "before using their account. Scan the code with an authenticator app and "
            "enter the code it shows.",
        )
        return redirect("mfa_activate_totp")
    return confirm_code(request, user, next_path)


def confirm_code(request, user, next_path: str):
    logger.info("two-factor confirmation required user=%s", user.pk)
    messages.info(request, "Please confirm it is you with a code from your authenticator app.")
    return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_path})}")


def require_two_factor(request):
    """For views that show staff what the public cannot see (e.g. a pending question):
    None when the viewer may go on, else the redirect to the two-factor step. The
    role is checked live, so a role given during the session counts at once."""
    user = signed_in_user(request)
    if user is None or not roles.needs_two_factor(user) or session_passed_two_factor(request):
        return None
    request.session[PRIVILEGED_SESSION_KEY] = True
    return ask_for_two_factor(request, user)


class TwoFactorRequiredMiddleware:
    """Two rules, for every page:

    - A moderator, editor or staff member whose session has not passed two-factor
      reaches only the two-factor pages and log-out: without an authenticator they are
      sent to set one up; with one (a session from before it was added), to confirm a
      code. So a password alone opens nothing. On the moderation queue and the admin the
      role is checked live, so a role given during the session counts at once.
    - Anyone with an authenticator sees or changes their authenticators and recovery
      codes only after using one in the last few minutes (allauth's password
      re-authentication is not enough: a stolen password must not yield the codes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = signed_in_user(request)
        if user is not None:
            refusal = self._refusal(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request, user):
        path = request.path_info
        if (
            any(path.startswith(prefix) for prefix in _two_factor_management_paths())
            and has_authenticator(user)
            and not session_passed_two_factor_recently(request)
        ):
            next_path = request.get_full_path() if request.method == "GET" else path
            return confirm_code(request, user, next_path)
        if (
            self._privileged(request, user, path)
            and not session_passed_two_factor(request)
            and not any(path.startswith(prefix) for prefix in _two_factor_step_paths())
        ):
            return ask_for_two_factor(request, user)
        return None

    def _privileged(self, request, user, path: str) -> bool:
        if not needs_two_factor_for_path(path):
            return is_privileged_session(request)
        if request.session.get(PRIVILEGED_SESSION_KEY) is True:
            return True
        # Checked live, so a role given during the session counts at once.
        if roles.needs_two_factor(user):
            request.session[PRIVILEGED_SESSION_KEY] = True
            return True
        return False


class TwoFactorSkipped(PermissionDenied):
    """A log-in that did not use the account's authenticator."""


def refuse_login_without_two_factor(request, user) -> None:
    """Called on every log-in (user_logged_in). An account with an authenticator gets a
    session only from a log-in that used it: allauth's log-in has that step; any other
    way of calling Django's login() (a password form of Django's own, a script) is
    refused here, with the half-made session flushed."""
    if request is None or not hasattr(request, "session") or not has_authenticator(user):
        return
    if session_passed_two_factor_recently(request, user):
        return
    logger.warning(
        "log-in without two-factor refused user=%s client=%s", user.pk, client_ref(request)
    )
    request.session.flush()
    if hasattr(request, "user"):
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    raise TwoFactorSkipped("This account logs in with two-factor authentication.")
