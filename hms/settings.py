"""The one settings module of HMS.

Every value comes from the environment, with defaults that give a working SQLite install for `./run`.
Every variable is documented in docs/configuration.md.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment; `NAME_FILE` (a path) wins over `NAME`, for secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (any case); any other value stops start-up."""
    value = env(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


DEBUG = env_bool("HMS_DEBUG", False)
DEMO_MODE = env_bool("HMS_DEMO", False)
DATA_DIR = Path(env("HMS_DATA_DIR", str(BASE_DIR / "var"))).resolve()
# The fallback is public: `check --deploy` flags it (its "django-insecure-" prefix), ./run makes a key.
SECRET_KEY = env("HMS_SECRET_KEY") or "django-insecure-development-key-set-HMS_SECRET_KEY"
ALLOWED_HOSTS = env_list("HMS_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("HMS_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("HMS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_filters",
    "treebeard",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "hms.core",
    "hms.accounts",
    "hms.org",
    "hms.measures",
    "hms.risk",
    "hms.deviations",
    "hms.rounds",
    "hms.governance",
    "hms.meetings",
    "hms.competence",
    "hms.health",
    "hms.points",
    "hms.annual",
]

MIDDLEWARE = [
    "hms.core.clientaddress.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hms.core.badinput.BadCookieMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hms.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hms.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hms.core.badinput.BadInputMiddleware",
]

ROOT_URLCONF = "hms.urls"
WSGI_APPLICATION = "hms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hms.core.context_processors.shell",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = env_bool("HMS_DB_POOL", False)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "hms.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every process (login rate limits count across gunicorn workers): a table in
# the same database, so neither engine needs anything more. `manage.py createcachetable` makes it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hms_cache",
    }
}

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "hms.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("HMS_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env("HMS_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env("HMS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HMS_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("HMS_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("HMS_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("HMS_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("HMS_DEFAULT_FROM_EMAIL", "HMS <hms@localhost>")
EMAIL_TIMEOUT = env_int("HMS_EMAIL_TIMEOUT", 30)

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "hms" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "hms_language"

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "hms" / "static"]
MEDIA_ROOT = DATA_DIR / "media"
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
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HMS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
HMS_MAX_IMPORT_BYTES = env_int("HMS_MAX_IMPORT_BYTES", 5 * 1024 * 1024)
# Exports of more rows than these are made by the task worker, with progress (a PDF costs some
# 15 ms a row to lay out); a PDF of more rows than HMS_PDF_MAX_ROWS is refused (its renderer's
# memory grows with it) and the XLSX offered.
HMS_DIRECT_EXPORT_ROWS = env_int("HMS_DIRECT_EXPORT_ROWS", 1_000)
HMS_DIRECT_PDF_ROWS = env_int("HMS_DIRECT_PDF_ROWS", 60)
HMS_PDF_MAX_ROWS = env_int("HMS_PDF_MAX_ROWS", 2_000)
HMS_DOCUMENT_KEEP_HOURS = env_int("HMS_DOCUMENT_KEEP_HOURS", 24)
# An import's limits once unpacked: an .xlsx's parts together, and a file's rows and columns.
HMS_MAX_IMPORT_UNPACKED_BYTES = env_int("HMS_MAX_IMPORT_UNPACKED_BYTES", 50 * 1024 * 1024)
HMS_MAX_IMPORT_ROWS = env_int("HMS_MAX_IMPORT_ROWS", 20_000)
HMS_MAX_IMPORT_COLUMNS = env_int("HMS_MAX_IMPORT_COLUMNS", 100)
HMS_MAX_ATTACHMENT_BYTES = env_int("HMS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)

# --- Tasks and reminders ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env("HMS_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
HMS_DIGEST_HOUR = env_int("HMS_DIGEST_HOUR", 7)
HMS_DIGEST_DAYS_AHEAD = env_int("HMS_DIGEST_DAYS_AHEAD", 14)
HMS_REVIEW_DAYS_AHEAD = env_int("HMS_REVIEW_DAYS_AHEAD", 60)
HMS_DEVIATION_STALE_DAYS = env_int("HMS_DEVIATION_STALE_DAYS", 14)
HMS_DEVIATION_DEADLINE_DAYS = env_int("HMS_DEVIATION_DEADLINE_DAYS", 30)
HMS_INJURY_DETAILS_KEEP_DAYS = env_int("HMS_INJURY_DETAILS_KEEP_DAYS", 365)
HMS_TRAINING_WARN_DAYS = env_int("HMS_TRAINING_WARN_DAYS", 60)
HMS_PUBLIC_REPORT_RATE = env("HMS_PUBLIC_REPORT_RATE", "5/h")
# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client.
try:
    HMS_TRUSTED_PROXIES = [str(ipaddress.ip_network(proxy, strict=False))
                           for proxy in env_list("HMS_TRUSTED_PROXIES")]
except ValueError as error:
    raise ImproperlyConfigured(f"HMS_TRUSTED_PROXIES: {error}") from error
# Rounds a year each safety area needs, by its risk level ("normal:1,high:2").
# The day (month-day) of the next year on which a year of the 19 points closes and is frozen.
HMS_POINTS_YEAR_CLOSES = env("HMS_POINTS_YEAR_CLOSES", "03-01")
try:
    dt.date.fromisoformat(f"2001-{HMS_POINTS_YEAR_CLOSES}")
except ValueError as error:
    raise ImproperlyConfigured(f"HMS_POINTS_YEAR_CLOSES: {error} (give it as MM-DD)") from error
# From this many days before the year ends, a point not met is told in the digest (once a year).
HMS_POINTS_DUE_DAYS = env_int("HMS_POINTS_DUE_DAYS", 61)
# A matrix of more units than this reads the open year from the daily run instead of computing it.
HMS_POINTS_LIVE_UNITS = env_int("HMS_POINTS_LIVE_UNITS", 30)
HMS_ROUNDS_PER_YEAR = {level: int(count) for level, _sep, count in (
    item.partition(":") for item in env_list("HMS_ROUNDS_PER_YEAR", "normal:1,high:2"))}

# --- Security -----------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("HMS_SECURE_COOKIES", not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("HMS_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("HMS_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HMS_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HMS_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HMS_BEHIND_TLS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Who sees the names of a unit's public role holders: every signed-in person, or its own people.
HMS_SHOW_ROLE_HOLDERS = env_choice("HMS_SHOW_ROLE_HOLDERS", "all", ("all", "unit"))
# Take X-Request-ID from the request only behind a proxy that sets or overwrites it on every one.
HMS_TRUST_REQUEST_ID = env_bool("HMS_TRUST_REQUEST_ID", False)

# Everything goes to the console, with address secrets redacted (hms/core/logs.py). Django's own
# handlers are dropped: its mail to ADMINS would carry the request's address and user agent.
LOGGING_CONFIG = "hms.core.logs.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("HMS_LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": [], "level": env("HMS_LOG_LEVEL", "WARNING")}},
}
