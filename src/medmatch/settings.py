"""Settings for medmatch, read from environment variables (see README "Configuration").

SQLite under ``var/`` is the default; ``DATABASE_URL`` selects PostgreSQL. Production is the
default mode: with ``DEBUG`` off, a missing ``SECRET_KEY`` or ``ALLOWED_HOSTS`` stops the web
server with a message. The ``medmatch`` command (not the web server) falls back to a key stored in
the data directory and to local host names, so local command-line use works without either.
An optional, git-ignored ``local_settings.py`` beside this file is loaded last. The test suite
runs with ``tests/settings.py``, which imports these and changes what tests need.

Importing settings creates no directory: the commands that run the site or write to the data
directory create it (``medmatch.lib.data_dirs.ensure_data_dirs``).
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from medmatch.lib import local_secret
from medmatch.lib.env import env_bool, env_int, env_list, env_networks, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("MEDMATCH_DATA_DIR", str(BASE_DIR / "var")))
CATALOG_DATA_DIR = PACKAGE_DIR / "catalog" / "data"

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
    elif local_secret.command_line:
        SECRET_KEY = local_secret.read_or_create_secret_key(DATA_DIR)
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random string; "
            "for local use run `make run` (it sets DEBUG=true)."
        )

_LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", _LOCAL_HOSTS if DEBUG or local_secret.command_line else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. Set ALLOWED_HOSTS to the comma-separated host names this site "
        "answers to (e.g. ALLOWED_HOSTS=medmatch.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # The JSON API's framework; listed so its docs page uses its bundled static files, no CDN.
    "ninja",
    "medmatch.accounts",
    "medmatch.catalog",
    "medmatch.goals",
    "medmatch.research",
    "medmatch.applications",
    "medmatch.letters",
    "medmatch.interviews",
    "medmatch.contributions",
    "medmatch.workspace",
    "medmatch.cycles",
    "medmatch.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "medmatch.lib.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body: an oversized form gets the 413 page, never read.
    "medmatch.lib.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medmatch.urls"
WSGI_APPLICATION = "medmatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "medmatch.lib.context.site",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "medmatch.sqlite3"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or f"sqlite:///{_sqlite_path}", conn_max_age=600
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database address ({error}); "
        "use e.g. postgres://user:password@host:5432/medmatch."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the dev server read while an import writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses further attempts once AXES_FAILURE_LIMIT is reached.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_HOURS", 1)
# The reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; empty trusts
# nobody and uses REMOTE_ADDR. medmatch.lib.client_ip reads it for the lockout and rate limits.
TRUSTED_PROXY_IPS = env_networks("TRUSTED_PROXY_IPS")
AXES_CLIENT_IP_CALLABLE = "medmatch.lib.client_ip.client_ip"
# A lockout holds one username from one client address: guesses from elsewhere cannot lock the
# owner out (this needs the real client address, hence the two settings above).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Sign-up and password-reset emails per hour, per email address and per client address.
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 3)
ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR", 20)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "start"  # the next step: goals, then "For you"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "medmatch <noreply@localhost>")
# The public address of the site, for links in emails sent by background work (no request there).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Pages name static files by their hashed names only; not keeping the originals halves the work
# (and the time) collectstatic spends compressing.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Source maps (the API docs' Swagger UI ships them) are read by developers' tools only: served,
# never worth compressing at every start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *Compressor.SKIP_COMPRESS_EXTENSIONS,
    "map",
)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "medmatch.lib.staticfiles.AppDirectoriesFinder",
]
MEDIA_ROOT = DATA_DIR / "media"

# Security headers, on every response in every mode (tests and `make run` included, so a page that
# breaks under the policy breaks in the browser tests first).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Scripts and style sheets only from our own static files: no inline <script>, no eval,
        # no <style> blocks (htmx's indicator style is off in base.html; medmatch.css has it).
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # style="" attributes stay allowed: the fit-score and review-spread bars set their widths
        # in the template, and Chart.js sizes its canvas. Attributes cannot load anything or use
        # selectors, so this is the narrow form of 'unsafe-inline'.
        "style-src-attr": [UNSAFE_INLINE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features the site never uses, refused for it and anything it might embed (lib/security.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # The TLS proxy in front says the request was https; it must overwrite this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # On by default; a deployment whose proxy already redirects and sends HSTS may turn them off
    # (SECURE_SSL_REDIRECT=false, SECURE_HSTS_SECONDS=0), and `check --deploy` then reminds it.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Asking browsers to preload HSTS binds the whole registrable domain for months; it is the
        # operator's decision (SECURE_HSTS_PRELOAD=true), so its reminder is not a warning here.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

CATALOG_PAGE_SIZE = env_int("CATALOG_PAGE_SIZE", 25)

# The JSON API: requests per personal access token in a fixed window (429 beyond it).
API_TOKEN_REQUESTS = env_int("API_TOKEN_REQUESTS", 600)
API_TOKEN_WINDOW_SECONDS = env_int("API_TOKEN_WINDOW_SECONDS", 60)
# The longest a personal access token may live.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# Background work (emails, reminders, PDFs) goes through the database queue; `medmatch worker`
# runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The log-in, e-mail and portal limits count in the cache. A table in the database is shared by
# every process and app server (a per-process memory cache would give each its own count); it is
# created by a migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "medmatch_cache",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if (PACKAGE_DIR / "local_settings.py").exists():
    from medmatch.local_settings import *  # noqa: F403
