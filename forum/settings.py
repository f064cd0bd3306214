"""Settings for the medical Q&A forum.

One file, driven by environment variables (see the README's "Configuration"
section). Defaults are safe: debug is off unless DJANGO_DEBUG=1, and with debug
off a secret key must be given. One file (over 400 lines) because Django reads one
settings module and every value here depends on the environment read at its top.
"""

import importlib.util
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Commands that serve nothing and never sign anything may run without a key (so
# `manage.py makemigrations --check` works on a bare checkout); everything else,
# the web server included, refuses to start with debug off and no key.
KEYLESS_COMMANDS = {"makemigrations", "help", "version"}
if not SECRET_KEY:
    command = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else ""
    if not DEBUG and command not in KEYLESS_COMMANDS:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "Ask a Doctor")
# Who runs the site and whom to write to about personal data and accessibility: the
# privacy notice, the terms and the accessibility statement name them (forum/site/legal.py).
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")  # blank: "the team that runs <SITE_NAME>"
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "privacy@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "forum",
    "questions",
    "answers",
    "forum.site",  # above the apps: home, search, feeds, sitemaps, load_demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous Q&A pages from the cache, before sessions and users are looked at.
    "questions.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its URL prefix (forum/urls.py): after sessions (Django's
    # rule), before CommonMiddleware, whose APPEND_SLASH must resolve prefixed paths in
    # their language. The page cache above reads the prefix itself.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A first visit to an unprefixed page in the other language's browser (or a visitor
    # who chose it) goes to that language's URL: after auth, for User.language.
    "forum.middleware.LanguageRedirectMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "forum.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.site.context_processors.site",
            ],
        },
    },
    {
        # The public reading pages, templates/jinja2/ (the rest are Django's, above):
        # see forum/site/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "forum.site.jinja.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.site.context_processors.site",
                "forum.site.jinja.render_language",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL=postgres://... for PostgreSQL
# (psycopg 3, persistent connections with a health check so a restarted
# server is picked up without restarting the app).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES and os.environ.get("DJANGO_DB_SERVER_SIDE_BINDING", "1") == "1":
    # Server-side parameters let psycopg prepare a statement it has run 5 times on a
    # connection, so PostgreSQL stops planning the same page queries on every request
    # (planning was most of their time). Set 0 behind a pooler that cannot keep
    # prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

# Read replicas: DATABASE_REPLICA_URL adds a "replica" database that forum.db_router sends
# reads to; writes, reads in write transactions and reads for
# DATABASE_REPLICA_PIN_SECONDS after a writing request go to the primary. Tests mirror it
# onto the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "10"))
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["forum.db_router.PrimaryReplicaRouter"]
    # Before sessions and auth, so their reads are pinned too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "forum.db_router.PinPrimaryMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: whatever must be shared between processes lives here (log-in throttles and
# allauth's rate limits, used TOTP codes, the anonymous page cache and its versions), so
# it is a store every gunicorn worker and app server sees. Redis when REDIS_URL is set
# (several app servers; sessions then live there too). Without it, the database cache:
# table CACHE_TABLE, created by `manage.py migrate` (ForumConfig's post_migrate), and
# sessions in their own table. A process-local cache with debug off stops start-up
# (forum/checks.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "forum_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "forum",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    # Rendered anonymous Q&A pages: shared too (see questions/cache.py).
    CACHES["qa_pages"] = CACHES["default"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Every write counts the rows; past MAX_ENTRIES a third of them (expired
            # first) is dropped. Room for the pages of a busy hour and the throttles.
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 3},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # The anonymous Q&A page cache's versions (whether a kept page is current) in a
    # table of their own, which only invalidations write, so no flood of other keys
    # (log-in throttles from many addresses, say) can cull a version early; the pages
    # themselves in each worker's memory, served only under the current shared versions.
    # See questions/cache.py.
    CACHES["qa_versions"] = {
        # Django's database cache with a leaner read (questions/cache.py).
        "BACKEND": "questions.cache.VersionsDatabaseCache",
        "LOCATION": f"{CACHE_TABLE}_versions",
        # Each write counts the rows; expired ones are dropped past this many.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
    CACHES["qa_pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "qa-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }

AUTH_USER_MODEL = "forum.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # No composition rules (NIST SP 800-63B): NumericPasswordValidator is left out,
    # and there is no maximum below 64 (a 100-character passphrase works).
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "forum:home"

# django-allauth: e-mail only, verified before asking.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks for consent to the privacy notice and terms (forum/legal.py).
ACCOUNT_SIGNUP_FORM_CLASS = "forum.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    # The ask form's screening as the patient types (questions.views.screen_text).
    "screen_text": "60/m/user,120/m/ip",
    # Reports of questions and replies (answers.views.reports.report).
    "report": "10/h/user,30/h/ip",
}
# Patients (accounts): e-mails after commit with failures logged, no address in messages,
# security notices (password changed, address added) to the account's address.
ACCOUNT_ADAPTER = "forum.adapters.AccountAdapter"
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Re-authentication (before changing the e-mail, the password or two-factor) by password
# or an authenticator: not by a code e-mailed to the address (allauth 65.22's "code",
# on by default), which would let a mailbox stand in for the password.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")

# The interface in English and Traditional Chinese (locale/, compiled catalogues
# committed so the site runs without GNU gettext); DJANGO_LANGUAGE_CODE picks the default.
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文")]
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"DJANGO_LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}"
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
# The visitor's choice from the language switcher (forum/i18n.py): a year, sent
# on same-site navigation only, unreadable by scripts (none needs it); Secure like the
# session cookie below.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Taipei")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


# E-mail: EMAIL_URL (smtp://user:password@host:587?tls=1, smtps://...,
# file:///path/to/folder, console:, locmem:) or the individual EMAIL_* variables. With
# neither, the console backend, which only debug may use: with debug off it would write
# reset links and addresses into the log stream, so start-up stops (forum/checks.py).
def _email_settings(url: str) -> dict:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"console", ""}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL=file:///path needs the folder's path.")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not supported.")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_USE_TLS": scheme == "smtp" and query.get("tls", ["1"])[0] == "1",
    }


EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    globals().update(_email_settings(EMAIL_URL))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif DEBUG and env_bool("DJANGO_DEV_OUTBOX"):
    # `make run`: e-mails as files in artifacts/outbox/, listed at /dev/outbox/
    # (forum/site/dev_outbox.py), instead of among the server's log lines.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(BASE_DIR / "artifacts" / "outbox")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10
# The debug-only page listing the e-mails of the file outbox above.
DEV_OUTBOX = DEBUG and EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ask a Doctor <no-reply@localhost>")

# The e-mail outbox (forum/mail.py) on django-tasks. Production: the database backend, so
# a message is enqueued in the transaction of the change, and `manage.py db_worker` sends
# it. Debug (`make run`): the immediate backend, which sends right after commit with no
# worker to start. DJANGO_TASK_BACKEND=database|immediate overrides either.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("DJANGO_TASK_BACKEND", "immediate" if DEBUG else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}
# A failed send is retried after EMAIL_RETRY_BASE_SECONDS, doubling up to
# EMAIL_RETRY_MAX_SECONDS, EMAIL_MAX_ATTEMPTS times in all (defaults: 1 min, 1 h, 12
# attempts, about 7 hours); a worker holds a message for EMAIL_SEND_LEASE_SECONDS, after
# which `requeue_email` presumes it died.
EMAIL_RETRY_BASE_SECONDS = int(os.environ.get("EMAIL_RETRY_BASE_SECONDS", "60"))
EMAIL_RETRY_MAX_SECONDS = int(os.environ.get("EMAIL_RETRY_MAX_SECONDS", "3600"))
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "12"))
EMAIL_SEND_LEASE_SECONDS = int(os.environ.get("EMAIL_SEND_LEASE_SECONDS", "300"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Request size limits: a bigger form body or more fields than this is a 400, not a 500.
# The longest legitimate form (an article in admin) is far below 512 KiB; admin's bulk
# actions post one field per selected row (100 a page).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# Retention (forum/retention.py, `manage.py purge_expired`; the privacy notice states
# these periods): days after which each kind of row is deleted.
RETENTION_CLOSED_QUESTION_DAYS = int(os.environ.get("RETENTION_CLOSED_QUESTION_DAYS", "90"))
RETENTION_UNVERIFIED_SIGNUP_DAYS = int(os.environ.get("RETENTION_UNVERIFIED_SIGNUP_DAYS", "30"))
RETENTION_EXPIRED_CLAIM_DAYS = int(os.environ.get("RETENTION_EXPIRED_CLAIM_DAYS", "7"))
# The outbox's copy of an e-mail: sent (or cancelled) ones, and failed ones, which staff
# may send again from admin until then.
RETENTION_SENT_EMAIL_DAYS = int(os.environ.get("RETENTION_SENT_EMAIL_DAYS", "30"))
RETENTION_FAILED_EMAIL_DAYS = int(os.environ.get("RETENTION_FAILED_EMAIL_DAYS", "90"))

# Content review dates (answers/models.py Article, Reply): an article's next review is
# ARTICLE_REVIEW_INTERVAL_DAYS after its last one; editors see it as due
# ARTICLE_REVIEW_DUE_SOON_DAYS before that and overdue from the day after, and readers
# see a notice ARTICLE_REVIEW_GRACE_DAYS after it. A doctor may confirm a reply as still
# accurate once it is REPLY_ACCURACY_CHECK_DAYS old, and again that long after each time.
ARTICLE_REVIEW_INTERVAL_DAYS = int(os.environ.get("ARTICLE_REVIEW_INTERVAL_DAYS", "365"))
ARTICLE_REVIEW_DUE_SOON_DAYS = int(os.environ.get("ARTICLE_REVIEW_DUE_SOON_DAYS", "30"))
ARTICLE_REVIEW_GRACE_DAYS = int(os.environ.get("ARTICLE_REVIEW_GRACE_DAYS", "30"))
REPLY_ACCURACY_CHECK_DAYS = int(os.environ.get("REPLY_ACCURACY_CHECK_DAYS", "365"))

# Product settings.
QUESTIONS_PER_DAY = int(os.environ.get("QUESTIONS_PER_DAY", "5"))
HELD_REPLIES_FOR_NEW_DOCTORS = int(os.environ.get("HELD_REPLIES_FOR_NEW_DOCTORS", "3"))
CLAIM_MINUTES = int(os.environ.get("CLAIM_MINUTES", "15"))
# Open reports from this many people hide a question or reply pending a moderator's review.
REPORT_HIDE_THRESHOLD = int(os.environ.get("REPORT_HIDE_THRESHOLD", "3"))
# The asker of an answered question may add this many follow-ups to it (rejected ones
# not counted), each at most FOLLOW_UP_MAX_LENGTH characters. An asker with this many
# approved posts (their questions and follow-ups published now) is trusted: their
# follow-ups are published without waiting for a moderator, unless screening finds red
# flags in one (0: every follow-up is moderated).
FOLLOW_UPS_PER_QUESTION = int(os.environ.get("FOLLOW_UPS_PER_QUESTION", "3"))
FOLLOW_UP_MAX_LENGTH = int(os.environ.get("FOLLOW_UP_MAX_LENGTH", "1000"))
TRUSTED_ASKER_APPROVED_POSTS = int(os.environ.get("TRUSTED_ASKER_APPROVED_POSTS", "3"))
MODERATION_ALERT_HOURS = float(os.environ.get("MODERATION_ALERT_HOURS", "2"))
# A doctor's information request keeps their claim on the question this long at most,
# from the request, and again from the patient's answer (answers/actions/information.py).
INFORMATION_REQUEST_HOLD_HOURS = float(os.environ.get("INFORMATION_REQUEST_HOLD_HOURS", "48"))
# Answer-time targets (manage.py send_answer_reminders): a published question unanswered
# this long is sent to the doctors of its specialty, and after the second to moderators.
ANSWER_REMINDER_HOURS = float(os.environ.get("ANSWER_REMINDER_HOURS", "24"))
ANSWER_ESCALATION_HOURS = float(os.environ.get("ANSWER_ESCALATION_HOURS", "48"))
EMERGENCY_NUMBER = os.environ.get("EMERGENCY_NUMBER", "119")
CRISIS_LINE_NUMBER = os.environ.get("CRISIS_LINE_NUMBER", "1925")
# Taiwan's poison control centre (Taipei Veterans General Hospital), day and night.
POISON_CONTROL_NUMBER = os.environ.get("POISON_CONTROL_NUMBER", "02-2871-7121")

# Logging: one JSON object per line on stdout (forum.log_format.JsonFormatter), for the
# process manager or log shipper to collect; DJANGO_LOG_FORMAT=text for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "forum.log_format.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "text" if os.environ.get("DJANGO_LOG_FORMAT") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# =============================================================================
# Security and privacy (issue 8). Headers and CSP, cookies, log-in throttling,
# two-factor authentication for moderators/editors/staff, their idle timeout,
# and private logs. The middleware named here is in forum/security/; the
# README's "Security" section explains each choice.
# =============================================================================
INSTALLED_APPS += ["csp", "allauth.mfa"]
MIDDLEWARE += [
    "forum.security.SitePolicyCSPMiddleware",  # django-csp's, with two scoped exceptions
    "forum.security.SecurityHeadersMiddleware",  # Permissions-Policy, CORP, no-store
    "forum.security.StaffIdleTimeoutMiddleware",
    "forum.security.TwoFactorRequiredMiddleware",
]

# Headers. HSTS only goes out on HTTPS responses (Django's rule).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)
# Strict CSP: our own origin only, no inline scripts or styles anywhere (JSON
# data blocks are not scripts and need no exception). The two scoped
# exceptions (admin's one inline <style> by hash, data: images on the TOTP
# set-up page) are added per response by SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Cookies. With debug off the site assumes HTTPS (behind a proxy that sets
# X-Forwarded-Proto); DJANGO_SECURE_SSL_REDIRECT=0 turns the redirect off where
# TLS ends elsewhere. Secure cookies get the __Host- prefix (no Domain, Path=/).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if SESSION_COOKIE_SECURE:
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Log-in throttling: the 6th failed attempt within 5 minutes is refused, per
# client IP and per e-mail, on allauth's log-in (its rate limit) and on every
# other password check (forum.security.LoginThrottleBackend, e.g. /admin/login/).
# Behind a proxy set DJANGO_TRUSTED_PROXY_COUNT (number of proxies you run that
# append to X-Forwarded-For), or every client shares the proxy's IP.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 5 * 60
ACCOUNT_RATE_LIMITS["login_failed"] = (
    f"{LOGIN_FAILURE_LIMIT}/{LOGIN_FAILURE_WINDOW_SECONDS}s/ip,"
    f"{LOGIN_FAILURE_LIMIT}/{LOGIN_FAILURE_WINDOW_SECONDS}s/key"
)
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AUTHENTICATION_BACKENDS = ["forum.security.LoginThrottleBackend", *AUTHENTICATION_BACKENDS]

# Two-factor authentication (allauth.mfa): TOTP and recovery codes. Required
# for moderators, editors and staff before /moderation/ and /admin/
# (TwoFactorRequiredMiddleware), offered to everyone at /accounts/2fa/.
# Each entry: a URL name (resolved per request) and the path prefix to guard
# while that name does not exist yet; everything under the prefix is guarded.
TWO_FACTOR_REQUIRED_URLS = [("answers:moderation", "/moderation/"), ("admin:index", "/admin/")]
MFA_ADAPTER = "forum.mfa.ForumMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Only the current 30-second code: allauth remembers a used code for one period, so a
# wider window would let a code seen over someone's shoulder be replayed once that
# memory lapsed (forum/tests/test_security_mfa.py shows it).
MFA_TOTP_TOLERANCE = 0

# Old secret keys, kept while rotating: sessions and signed tokens, and the
# two-factor secrets (encrypted with a key derived from SECRET_KEY) stay readable.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

# Sessions of moderators, editors and staff end after 30 idle minutes.
STAFF_IDLE_TIMEOUT_SECONDS = 30 * 60

# Logs: a filter on the handler removes e-mail addresses that third-party
# messages or exception texts might carry; "forum.security" is the audit trail
# of log-ins, log-outs, throttling and two-factor events.
LOGGING["filters"] = {"private": {"()": "forum.logfilters.RedactPersonalData"}}
LOGGING["handlers"]["console"]["filters"] = ["private"]
LOGGING["loggers"]["forum.security"] = {"level": "INFO"}
# Even with DJANGO_LOG_LEVEL=DEBUG: django.template's debug lines quote whole
# template contexts (users, question text), and SQL debug lines carry parameters.
LOGGING["loggers"]["django.template"] = {"level": "INFO"}
LOGGING["loggers"]["django.db.backends"] = {"level": "WARNING"}

# django-debug-toolbar, for `make run` only: on when debug is on, DJANGO_DEBUG_TOOLBAR=1
# (which `make run` sets) and the package is installed (requirements-dev.txt); never in
# tests (pytest sets DJANGO_DEBUG=0) or production (debug off). It needs no CSP
# exception: it loads its scripts and styles as files from the site's origin, fetches
# its panels from it, and draws with no inline script or style attribute.
DEBUG_TOOLBAR = (
    DEBUG
    and env_bool("DJANGO_DEBUG_TOOLBAR")
    and "pytest" not in sys.modules
    and importlib.util.find_spec("debug_toolbar") is not None
)
if DEBUG_TOOLBAR:
    INSTALLED_APPS += ["debug_toolbar"]
    # First: it wraps every response, the page cache's included.
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]
