"""The site-wide security layer.

Everything here is middleware, an authentication backend or a view mounted over
/admin/login/, so it applies to every page, including pages built later, without
the page opting in. One module per concern:

- headers.py: SitePolicyCSPMiddleware (django-csp's, with the two narrow scoped
  exceptions: the admin's inline <style> hash, data: images on the TOTP set-up page)
  and SecurityHeadersMiddleware (Permissions-Policy, Cross-Origin-Resource-Policy,
  no caching of signed-in pages). The other headers come from Django's
  SecurityMiddleware.
- sessions.py: privileged sessions (moderators, editors, staff) and
  StaffIdleTimeoutMiddleware, which ends them on the server after
  STAFF_IDLE_TIMEOUT_SECONDS without a request.
- two_factor.py: TwoFactorRequiredMiddleware and require_two_factor: moderators,
  editors and staff reach the moderation queue and the admin only with a TOTP
  authenticator and a session that passed it.
- throttle.py: LoginThrottleBackend: the 6th failed password check within the window
  is refused, per client IP and per account, on every log-in form.
- login.py: admin_login (the admin's log-in form sends to the site log-in) and the
  refusal of any log-in that skipped the account's authenticator.
- clients.py: client IPs and the keyed pseudonyms the "forum.security" log uses.
- paths.py: the guarded paths, by URL name.

The names settings (MIDDLEWARE, AUTHENTICATION_BACKENDS), URLs and other modules use
are importable from `forum.security` itself.
"""

from forum.security.clients import (
    _pseudonym,
    account_ref,
    client_ip,
    client_ref,
    normalise_login,
)
from forum.security.headers import (
    SecurityHeadersMiddleware,
    SitePolicyCSPMiddleware,
    admin_inline_style_hashes,
    csp_hash,
)
from forum.security.login import TwoFactorSkipped, admin_login, refuse_login_without_two_factor
from forum.security.sessions import (
    LAST_ACTIVITY_RESOLUTION,
    LAST_ACTIVITY_SESSION_KEY,
    PRIVILEGED_SESSION_KEY,
    StaffIdleTimeoutMiddleware,
    is_privileged_session,
    signed_in_user,
)
from forum.security.throttle import LoginThrottleBackend, login_refused, record_login_failure
from forum.security.two_factor import (
    TwoFactorRequiredMiddleware,
    has_authenticator,
    has_totp,
    needs_two_factor_for_path,
    require_two_factor,
    session_passed_two_factor,
    session_passed_two_factor_recently,
    two_factor_paths,
)

__all__ = [
    "LAST_ACTIVITY_RESOLUTION",
    "LAST_ACTIVITY_SESSION_KEY",
    "PRIVILEGED_SESSION_KEY",
    "LoginThrottleBackend",
    "SecurityHeadersMiddleware",
    "SitePolicyCSPMiddleware",
    "StaffIdleTimeoutMiddleware",
    "TwoFactorRequiredMiddleware",
    "TwoFactorSkipped",
    "_pseudonym",
    "account_ref",
    "admin_inline_style_hashes",
    "admin_login",
    "client_ip",
    "client_ref",
    "csp_hash",
    "has_authenticator",
    "has_totp",
    "is_privileged_session",
    "login_refused",
    "needs_two_factor_for_path",
    "normalise_login",
    "record_login_failure",
    "refuse_login_without_two_factor",
    "require_two_factor",
    "session_passed_two_factor",
    "session_passed_two_factor_recently",
    "signed_in_user",
    "two_factor_paths",
]
