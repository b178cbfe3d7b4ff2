"""Settings for the response tracker, read from environment variables.

Nothing set means local development: DEBUG on, SQLite, mail to the console.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from responses import roles

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_pairs(name: str, default: dict[str, list[str]], values: list[str]) -> dict[str, list[str]]:
    """`key=value` pairs, comma separated, each value one of `values`; a key given twice has
    both values."""
    value = env_str(name)
    if value is None:
        return default
    pairs: dict[str, list[str]] = {}
    for item in env_list(name, []):
        # The value is after the last "=": keys (an identity provider's group names) may hold one.
        key, equals, mapped = (part.strip() for part in item.rpartition("="))
        if not (equals and key and mapped):
            raise ImproperlyConfigured(f"{name} must be pairs like key=value, not {item!r}")
        if mapped not in values:
            raise ImproperlyConfigured(
                f"{name} maps {key!r} to {mapped!r}, which is not one of {', '.join(values)}"
            )
        pairs.setdefault(key, []).append(mapped)
    return pairs


def env_url(name: str, default: str | None = None) -> str | None:
    """An https address; plain http only on this machine (a test provider)."""
    value = env_str(name, default)
    if value is None:
        return None
    parts = urlsplit(value)
    loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.hostname or not (parts.scheme == "https" or loopback):
        raise ImproperlyConfigured(f"{name} must be an https:// address, not {value!r}")
    return value


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "pfcc.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Django's widget templates, found by the project's template engine for FORM_RENDERER.
    "django.forms",
    "simple_history",
    "axes",
    # The queue of background work (responses.tasks), run by `manage.py db_worker`.
    "django_tasks_db",
    "inspections",
    "responses",
    # The sign-in records and the links to identity-provider accounts (pfcc/models.py).
    "pfcc",
]

MIDDLEWARE = [
    # First, so that its time budget covers every other middleware's queries too.
    "pfcc.unavailable.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published statements' files, as WhiteNoise serves static ones (no session, no query).
    "responses.published_files.PublishedFileMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or form reads the request; after sessions and messages, for its page.
    "pfcc.middleware.RefuseUnreadableTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# History pages are for reading: a revert would write an old version around the workflow
# (inspections.admin.HistoryAdmin refuses one that is posted anyway).
SIMPLE_HISTORY_REVERT_DISABLED = True
# History reasons hold what people write (a request for changes, say), so no length limit.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Seconds a request may run before its next query fails with the 503 page: keep it below
# gunicorn's --timeout (30 s in the README), which kills the worker instead.
REQUEST_TIME_BUDGET = env_int("REQUEST_TIME_BUDGET", 20)

ROOT_URLCONF = "pfcc.urls"
WSGI_APPLICATION = "pfcc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inspections.context_processors.office",
            ],
        },
    },
]

# Every form renders as GOV.UK Design System markup (templates/forms/).
FORM_RENDERER = "pfcc.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 5)
SQLITE_OPTIONS = {
    # Write-ahead logging: readers never block the writer nor the writer them, so a long read
    # (an export, a big list) never makes a save fail with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    # Writers queue for the lock when their transaction starts, so two at once (two people
    # publishing the same response) take turns instead of one failing "database is locked".
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No query may hold a worker for long: a page's queries take milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work goes through the database, so it needs nothing more than the database:
# `manage.py db_worker` runs it (or `manage.py db_worker --batch` from cron).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Exports of more rows than this are made by the worker, never within a request: findings.xlsx
# was measured at up to 1.1 ms a row on a busy 2-core machine (docs/performance.md), so 10,000
# rows stay within the 20 s request budget.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 10_000)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pfcc.auth.PasswordBackend",
    "pfcc.sso.OrganisationAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "public-home"

# Failed logins: five tries per username and address, then a 30 minute lock-out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# How staff sign in (pfcc/auth.py): "local" passwords only, "both", or "sso", where only the
# break-glass administrator may use a password. Single sign-on is OpenID Connect (pfcc/sso.py,
# through mozilla-django-oidc) with any standard provider; the README shows Microsoft Entra ID.
AUTH_MODE = env_choice("AUTH_MODE", "local", ["local", "both", "sso"])
BREAK_GLASS_USERNAME = env_str("BREAK_GLASS_USERNAME")
# The issuer, or its discovery address (ending /.well-known/openid-configuration).
OIDC_ISSUER = env_url("OIDC_ISSUER")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
# The claim that names the person for good (Entra: "oid"), and the one listing their roles
# (Entra: "roles" for app roles, or "groups"), whose values map to the office's roles.
OIDC_SUBJECT_CLAIM = env_str("OIDC_SUBJECT_CLAIM", "sub")
OIDC_ROLES_CLAIM = env_str("OIDC_ROLES_CLAIM", "roles")
# Claim values to roles, as "value=Role,value=Role": by default the roles' own names.
OIDC_ROLE_MAP = env_pairs(
    "OIDC_ROLE_MAP", {role: [role] for role in roles.ROLE_PERMISSIONS}, list(roles.ROLE_PERMISSIONS)
)
for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
    if AUTH_MODE != "local" and env_str(name) is None:
        raise ImproperlyConfigured(f"{name} must be set when AUTH_MODE is {AUTH_MODE}")
if "openid" not in OIDC_RP_SCOPES.split():
    raise ImproperlyConfigured(f"OIDC_SCOPES must include openid, not {OIDC_RP_SCOPES!r}")
# mozilla-django-oidc's own settings: the code flow with PKCE, state and nonce, ID tokens
# signed with RS256 by a key from the provider's JWKS, and the ID token kept for signing out.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_TIMEOUT = 10

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "build" / "collected"
# static/ holds the project's own sources; build/static what `npm run build` makes from them
# and from the npm packages.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# The public pages are cached until the next publication (responses.public_cache). The
# default, files on local disk, serves every worker on one machine; several machines need a
# shared cache: CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache with
# CACHE_LOCATION=pfcc_cache (then `manage.py createcachetable`), or Redis or Memcached.
FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", FILE_CACHE),
        "LOCATION": env_str("CACHE_LOCATION", str(BASE_DIR / "build" / "cache")),
    }
}
if CACHES["default"]["BACKEND"] == FILE_CACHE:
    # Every version's page and files of a few hundred statements.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 1000}
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

# Mail goes to the console in development; set EMAIL_HOST to send through SMTP.
if env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # A mail server that stops answering must not hold a worker: the email is
                # recorded and retried (responses.outbox).
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured("EMAIL_HOST must be set when DEBUG is off")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tracker@opfcc.example")
# /healthz reports the reminders job as failing when its last run is older than this
# (cron runs it hourly).
REMINDERS_MAX_AGE_MINUTES = env_int("REMINDERS_MAX_AGE_MINUTES", 120)

# Security: secure cookies and HSTS whenever the site is served for real.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # Signing out of single sign-on is a form whose answer sends the browser to the provider.
    "form-action": [CSP.SELF, *([origin(OIDC_ISSUER)] if AUTH_MODE != "local" else [])],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
