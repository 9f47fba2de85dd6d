"""Settings for krakow_ngo, read from the environment (see .env.example).

With no environment at all the portal runs for development: DEBUG on, SQLite under var/,
Celery tasks run eagerly, e-mail goes to the console and to files under var/mail/.
With DJANGO_DEBUG=false every secret must be given, or start-up fails loudly.
"""

import datetime as dt
from pathlib import Path

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from core.cache import redis_caches
from core.site import development_url
from core.storage import s3_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env(
        "DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789"
    )
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: fails loudly when missing

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    # Django would start and answer every request 400 (DisallowedHost), saying why only in
    # the log of each request.
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS (e.g. ngo.krakow.example) when DJANGO_DEBUG=false: the "
        "portal's host names, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("DJANGO_SITE_URL", default=development_url(env("DJANGO_PORT", default="8000")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    # The layers of docs/architecture.md, bottom to top.
    "core",
    "notifications",
    "pdf",
    "teams",
    "swot",
    "actions",
    "drafts",
    "implementation",
    "consultations",
    "documents",
    "opendata",
    "demo",
    "krakow_ngo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "krakow_ngo.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "documents.downloads.PublishedDownloadMiddleware",
    "krakow_ngo.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "krakow_ngo.middleware.ChosenLanguageMiddleware",
    "krakow_ngo.middleware.RequestTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "krakow_ngo.middleware.SessionEndedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "krakow_ngo.urls"
WSGI_APPLICATION = "krakow_ngo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "krakow_ngo.context_processors.portal",
                "krakow_ngo.context_processors.csrf",
                "consultations.context_processors.moderation",
                "krakow_ngo.csp.nonce",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'krakow_ngo.sqlite3'}")
}
if "DATABASE_URL" not in env.ENVIRON:
    # The embedded default: its folder made here, so that `manage.py migrate` works on a fresh
    # clone without `make` (SQLite creates the file, not the folder: "unable to open database
    # file"). Only for the default: a configured database's host needs no folder of ours.
    VAR_DIR.mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout makes a second writer
    # wait instead of failing with "database is locked"; IMMEDIATE takes the write lock at
    # the start of a transaction so that two writers never deadlock on an upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements: a query that a connection has run five times (psycopg's default;
    # Django's is never) is parsed and planned once for that connection, not on every request.
    # Planning was most of PostgreSQL's time for the portal's small queries: the round page's
    # stamp, the user, a post's INSERT (docs/operations.md, Prepared statements). psycopg
    # prepares only queries whose parameters travel apart from the SQL (server-side binding).
    # Django turns them off by default for connection poolers in transaction mode: set
    # DJANGO_DB_PREPARED_STATEMENTS=false behind one that cannot keep them.
    if env.bool("DJANGO_DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "teams.User"
SITE_ID = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: e-mail is the login; verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kraków NGO] "
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# Internationalisation: Polish first, English available.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise from the
# repository in every mode, collectstatic or not.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
# Stored files: an S3-compatible bucket when DJANGO_S3_BUCKET is set (with
# DJANGO_S3_ENDPOINT_URL, DJANGO_S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), else
# MEDIA_ROOT; see docs/operations.md "Object storage". Published PDFs are served by a
# redirect to a presigned URL of the bucket unless DJANGO_S3_REDIRECT=false.
S3_REDIRECT = env.bool("DJANGO_S3_REDIRECT", default=True)
STORAGES = {
    "default": s3_storage_settings() or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis: Celery broker and cache when REDIS_URL is set; otherwise tasks run eagerly in-process
# and the cache is local memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis, or this process's memory while Redis cannot be reached (core/cache.py).
    CACHES = redis_caches(REDIS_URL)
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# E-mail: EMAIL_URL in production; in development the console and files under var/mail/.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "core.mail.ConsoleAndFileBackend"
    EMAIL_FILE_PATH = env.path("DJANGO_EMAIL_FILE_PATH", default=VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Kraków NGO <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict in production, relaxed only where plain HTTP on localhost needs it.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are stored in the database and read through the cache (Redis in production): a
# logged-in page costs no session query. Logging out deletes both; nothing here deletes
# session rows behind the cache's back.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The portal's 403 page, saying what to do (the error handlers are in krakow_ngo/urls.py).
CSRF_FAILURE_VIEW = "krakow_ngo.views.csrf_failure"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (issue 12; django-csp through krakow_ngo.csp; docs/security.md):
# scripts only from the portal itself or with this response's nonce, no inline styles, nothing
# from other hosts, no framing; violations are reported to krakow_ngo.csp.csp_report, which
# logs them. The ReDoc page alone allows a little more (opendata/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF, csp_constants.NONCE],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
        "report-uri": "/csp-report/",
        "report-to": "csp",
    }
}
# Violation reports logged per minute and process; the rest are answered but not logged.
CSP_REPORT_LOG_PER_MINUTE = env.int("CSP_REPORT_LOG_PER_MINUTE", default=60)

# DJANGO_LOG_FORMAT=json: one JSON object per line (krakow_ngo/logs.py), for a log collector.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "krakow_ngo.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Errors to Sentry, only when SENTRY_DSN is set (sentry-sdk finds Django and Celery itself).
# No personal data is sent: send_default_pii off keeps out the user, cookies and addresses,
# but sentry-sdk 2 would still send a request's body (a comment's text, a name, an e-mail
# address typed into a form) and each stack frame's local variables (the same texts, in the
# objects that held them): both are off too. Tracing only if asked for.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Prometheus metrics at /metrics for a scraper holding this bearer token; none: 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# Who answers for the portal: shown in the accessibility declaration and the privacy notice.
PORTAL_CONTACT_NAME = env("PORTAL_CONTACT_NAME", default="Zespół Koordynujący")
# The publishing body in a publication's record (BIP's "podmiot udostępniający informację").
DOCUMENTS_PUBLISHING_BODY = env("DOCUMENTS_PUBLISHING_BODY", default="Urząd Miasta Krakowa")
# Who submits the yearly implementation report to whom (art. 5a ust. 3), and the council's name
# as a resolution's citation declines it ("uchwała nr … Rady Miasta Krakowa").
CITY_MAYOR = env("CITY_MAYOR", default="Prezydent Miasta Krakowa")
CITY_COUNCIL = env("CITY_COUNCIL", default="Rada Miasta Krakowa")
CITY_COUNCIL_GENITIVE = env("CITY_COUNCIL_GENITIVE", default="Rady Miasta Krakowa")
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", default="kontakt@example.org")
PORTAL_CONTACT_PHONE = env("PORTAL_CONTACT_PHONE", default="")
DATA_PROTECTION_OFFICER_EMAIL = env("DATA_PROTECTION_OFFICER_EMAIL", default="iod@example.org")


def env_date(name: str, default: str) -> dt.date:
    """A date given as YYYY-MM-DD; anything else stops the start-up, naming the variable: a
    declaration must not show a mistyped date."""
    value = env(name, default=default)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, not {value!r}.") from None


# The accessibility declaration (/accessibility/, templates/accessibility.html), after the
# Ministry of Digital Affairs' template v2.0. Facts of a deployment; docs/operations.md lists
# them and says which must be filled before go-live.
# Dates: the portal's publication and its last significant update; the declaration prepared,
# and its last yearly review (due by 31 March, krakow_ngo.W002; empty: not reviewed yet).
ACCESSIBILITY_PUBLISHED = env_date("ACCESSIBILITY_PUBLISHED", "2026-11-23")
ACCESSIBILITY_UPDATED = env_date("ACCESSIBILITY_UPDATED", "2026-11-23")
ACCESSIBILITY_PREPARED = env_date("ACCESSIBILITY_PREPARED", "2026-11-23")
ACCESSIBILITY_REVIEWED = (
    env_date("ACCESSIBILITY_REVIEWED", "") if env("ACCESSIBILITY_REVIEWED", default="") else None
)
# Who takes accessibility requests: a person or a unit, their e-mail and telephone (empty:
# the portal's contact above).
ACCESSIBILITY_CONTACT = env("ACCESSIBILITY_CONTACT", default="") or PORTAL_CONTACT_NAME
ACCESSIBILITY_EMAIL = env("ACCESSIBILITY_EMAIL", default="") or PORTAL_CONTACT_EMAIL
ACCESSIBILITY_PHONE = env("ACCESSIBILITY_PHONE", default="") or PORTAL_CONTACT_PHONE
# The public body's seat, and what the declaration says about its building (architectural
# accessibility) and about communicating with it (hearing loops, sign language): Polish text,
# an English one for the English page (empty: the Polish one), and a link to a fuller
# description. Empty texts show a placeholder saying where the City publishes them.
ACCESSIBILITY_SEAT = (
    env("ACCESSIBILITY_SEAT", default="")
    or "Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4, 31-004 Kraków"
)
ACCESSIBILITY_ARCHITECTURE = env("ACCESSIBILITY_ARCHITECTURE", default="")
ACCESSIBILITY_ARCHITECTURE_EN = env("ACCESSIBILITY_ARCHITECTURE_EN", default="")
ACCESSIBILITY_ARCHITECTURE_URL = env("ACCESSIBILITY_ARCHITECTURE_URL", default="")
ACCESSIBILITY_COMMUNICATION = env("ACCESSIBILITY_COMMUNICATION", default="")
ACCESSIBILITY_COMMUNICATION_EN = env("ACCESSIBILITY_COMMUNICATION_EN", default="")

# Accounts (issue 3): the portal's sign-up form and login redirect, and allauth's rate limits
# (kept in CACHES above: Redis in production, local memory in development) stated explicitly.
# The admin's login goes through allauth's rate-limited login too (teams/admin.py).
ACCOUNT_FORMS = {"signup": "teams.forms.SignupForm"}
ACCOUNT_ADAPTER = "teams.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True  # a reset for an unknown address answers the same

# Consultations (issue 4): hide a comment automatically after this many flags (0 = never).
CONSULTATIONS_AUTO_HIDE_FLAGS = env.int("CONSULTATIONS_AUTO_HIDE_FLAGS", default=0)
# At most this many comments and replies from one person in a window of this many seconds
# (core/limits.py): each comment takes a registration number and must be settled, so a flood
# from one account would be the coordinating team's work. Far above what anyone types.
CONSULTATIONS_POSTS_PER_WINDOW = env.int("CONSULTATIONS_POSTS_PER_WINDOW", default=30)
CONSULTATIONS_POST_WINDOW_SECONDS = env.int("CONSULTATIONS_POST_WINDOW_SECONDS", default=600)
# Kraków's rules for a round (consultations/rules.py): it lasts at least this many days, is
# announced at least this many days before it opens, uses at least this many forms of
# consultation including these (rules.Form), and should close at least this many days before
# the legal deadline of 30 November. Shortfalls are warnings; announcing despite them needs a
# recorded reason.
CONSULTATIONS_MIN_ROUND_DAYS = 21
CONSULTATIONS_MIN_NOTICE_DAYS = 7
CONSULTATIONS_MIN_FORMS = 3
CONSULTATIONS_REQUIRED_FORMS = ["open_meeting"]
CONSULTATIONS_DAYS_BEFORE_LEGAL_DEADLINE = 30
# The consultation report is due this many days after the round closes (Europe/Warsaw dates;
# the settle page counts the days left).
CONSULTATIONS_REPORT_DAYS = env.int("CONSULTATIONS_REPORT_DAYS", default=30)
# The city's resolutions on the rules of consultation, each from the day it was adopted (YYYY-MM-DD,
# Europe/Warsaw): the consultation report's legal basis cites the one of the day the round
# opened (consultations.rules.rules_resolution; documents/consultation_report.py), so a 2011
# round cites the 2011 rules and a 2026 round those of 2018. CONSULTATIONS_RULES_RESOLUTION, if
# set, is cited for every round instead.
_RULES_SUBJECT = (
    "w sprawie określenia szczegółowego sposobu konsultowania z organizacjami pozarządowymi"
)
CONSULTATIONS_RULES_RESOLUTIONS = [
    (
        "2011-04-13",
        f"uchwała nr XII/135/11 Rady Miasta Krakowa z dnia 13 kwietnia 2011 r. {_RULES_SUBJECT}",
    ),
    (
        "2018-09-26",
        f"uchwała nr CXI/2904/18 Rady Miasta Krakowa z dnia 26 września 2018 r. {_RULES_SUBJECT}",
    ),
]
if env.str("CONSULTATIONS_RULES_RESOLUTION", default=""):
    CONSULTATIONS_RULES_RESOLUTIONS = [("0001-01-01", env.str("CONSULTATIONS_RULES_RESOLUTION"))]

# Open data (issue 7): the read-only JSON API (/api/v1/), its OpenAPI schema and docs page,
# calendars, feeds and search. The API shows only what is public, the same to everyone, so it
# authenticates nobody; anonymous clients are throttled per IP (429 with Retry-After).
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
API_ANON_RATE = env("API_ANON_RATE", default="120/minute")
# Reverse proxies in front that set X-Forwarded-For (0: the header is ignored, not trusted):
# where the client's address is read for allauth's per-IP limits and the API's throttling.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "opendata.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "EXCEPTION_HANDLER": "opendata.api.errors.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    # In the visitor's language (Polish by default), like the summaries in opendata/api/views.py.
    "TITLE": gettext_lazy("Kraków NGO open data API"),
    "DESCRIPTION": gettext_lazy(
        "Read-only, public data of the cooperation programme: branch teams, meetings with their "
        "agendas, published SWOT entries, goals and postulated actions, consultation rounds and "
        "their published comments with dispositions."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put a link inside each operation's button (axe: nested-interactive), and the
    # examples' syntax colours fall short of AA contrast on their dark background.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"activated": False}},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.api.schema.add_error_responses",
    ],
}

# Notifications (issue 6): the outbox sweep (krakow_ngo/outbox.py) runs every minute under
# Celery beat; reminders before a round closes, in days (Europe/Warsaw wall-clock time).
CONSULTATIONS_REMINDER_DAYS = [7, 3, 1]
# Programme cycles (issue 13): the coordinating team is reminded this many days before each
# date of a current programme's cycle (adoption, implementation report, accessibility review).
PROGRAMME_REMINDER_DAYS = env.int("PROGRAMME_REMINDER_DAYS", default=14)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "krakow_ngo.tasks.outbox_sweep_task", "schedule": 60.0},
    # Sign-ups never confirmed are erased after teams.services.UNCONFIRMED_SIGNUP_DAYS.
    "purge-unconfirmed-signups": {
        "task": "teams.tasks.purge_unconfirmed_signups",
        "schedule": 3600.0,
    },
}

# Readiness (issue 12): beat sends a heartbeat task this often; /readyz fails when the worker
# or beat has not been seen for three intervals (krakow_ngo/heartbeat.py).
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["heartbeat"] = {
    "task": "krakow_ngo.tasks.heartbeat",
    "schedule": float(HEARTBEAT_SECONDS),
    "options": {"expires": HEARTBEAT_SECONDS},  # a late one proves nothing about now
}
