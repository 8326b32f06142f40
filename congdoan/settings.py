"""Settings for congdoan, read from the environment (django-environ).

Defaults suit a developer laptop: DEBUG on, an SQLite file under ``var/``.
Production sets ``DEBUG=off``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and usually a
PostgreSQL ``DATABASE_URL``.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(environ.Env().str("CONGDOAN_VAR_DIR", default=str(PROJECT_DIR / "var")))

VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite database and uploads live here

env = environ.Env()
env_file = PROJECT_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=True)
# Production must set its own key; only a development machine falls back to a fixed one.
SECRET_KEY = (
    env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz")
    if DEBUG
    else env.str("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "django_tasks",
    "congdoan.imports",  # before django_tasks_db: its `db_worker` command replaces theirs
    "django_tasks_db",
    "congdoan.core",
    "congdoan.accounts",
    "congdoan.org",
    "congdoan.members",
    "congdoan.indicators",
    "congdoan.bargaining",
    "congdoan.conferences",
    "congdoan.care",
    "congdoan.loans",
    "congdoan.emulation",
    "congdoan.plans",
    "congdoan.recommendations",
    "congdoan.activities",
    "congdoan.inspections",
    "congdoan.disputes",
    "congdoan.reports",
    "congdoan.figures",
    "congdoan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "congdoan.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "congdoan.core.middleware.RejectNulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congdoan.accounts.middleware.SessionTimeoutMiddleware",
    "congdoan.accounts.errors.ErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congdoan.urls"
WSGI_APPLICATION = "congdoan.wsgi.application"
ASGI_APPLICATION = "congdoan.asgi.application"

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
                "congdoan.accounts.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'congdoan.sqlite3'}"),
}
# A worker keeps its database connection between requests (checked before reuse) instead of opening
# one per request: ~2.5 ms of every request on PostgreSQL over loopback with no password, more with
# one or over TLS (bench/connection_bench.py). 0 opens one per request, as Django does by default.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite creates the covering indexes (activities, loans, leaf figures) without their INCLUDE columns:
# plain indexes there, as intended (the index-only reads are PostgreSQL's).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: its compilation (0.2–0.4 s) was paid by interactive queries whose row estimates crossed
    # jit_above_cost (member search, district figures), for no gain at this size (bench/README.md).
    #
    # Prepared statements only for the few hot write statements that ask for them (``core.sql.
    # execute_prepared``: an admission's kept figures); Django's own queries bind on the client and are
    # never prepared. Planned once per connection (kept between requests, above): a generic plan, as
    # their values never change the plan; PostgreSQL's own choice kept planning them at every call
    # (~0.4 ms of an admission's ~5 ms). ``plan_cache_mode`` touches nothing else: the project's
    # trigger functions look rows up by key. Off behind a pooler in transaction mode that cannot keep
    # them (PgBouncer before 1.21): the same statements then run unprepared.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c plan_cache_mode=force_generic_plan"
    )
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", 5 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "org:home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling: 5 failures lock the username+IP pair for 15 minutes — never a username
# alone, so a stranger cannot lock the administrator out. The IP is the real client's: behind a
# reverse proxy (nginx) every request comes from the proxy, so X-Forwarded-For is read, but only the
# hops added by TRUSTED_PROXIES (addresses or networks; gunicorn's default trusts loopback too).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "congdoan.accounts.client_ip.client_ip"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# Sessions: signed out after SESSION_IDLE_MINUTES without a request (the expiry slides, refreshed at
# most once a minute by accounts.middleware) and SESSION_MAX_HOURS after signing in, whatever happens.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=60) * 60
SESSION_ABSOLUTE_AGE = env.int("SESSION_MAX_HOURS", default=12) * 3600
# API tokens (`congdoan drf_create_token NAME`, `-r` to renew) are refused after this many days.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
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
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad token a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congdoan.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "congdoan.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "congdoan API",
    "DESCRIPTION": "API của hệ thống quản lý công đoàn (org units, employers, ...).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # schema and docs: signed-in only
    # Swagger UI served from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind": give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "CareCaseStateEnum": "congdoan.care.models.CaseState",
        "CarePaymentMethodEnum": "congdoan.care.models.PaymentMethod",
        "CareCampaignKindEnum": "congdoan.care.models.CampaignKind",
        "LoanStateEnum": "congdoan.loans.models.LoanState",
        "LoanMethodEnum": "congdoan.loans.models.Method",
        "AgreementKindEnum": "congdoan.bargaining.models.AgreementKind",
        "ConferenceKindEnum": "congdoan.conferences.models.ConferenceKind",
        "InspectionKindEnum": "congdoan.inspections.models.InspectionKind",
        "InspectionStateEnum": "congdoan.inspections.models.InspectionState",
        "DisputeKindEnum": "congdoan.disputes.models.DisputeKind",
        "ImportKindEnum": "congdoan.core.registry.importer_choices",
        "ImportUploadKindEnum": "congdoan.core.registry.web_importer_choices",
        "ReportKindEnum": "congdoan.reports.models.GeneratedReport.Kind",
    },
}

# Background work (imports, reports): the django-tasks database backend, so the embedded default needs
# no broker; `congdoan db_worker` runs the tasks. Tests set TASKS_IMMEDIATE=on to run them inline.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env.bool("TASKS_IMMEDIATE", default=False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Limits of the import reader (congdoan/imports/reader.py).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=1024 * 1024 * 1024)
IMPORT_MAX_ZIP_RATIO = env.int("IMPORT_MAX_ZIP_RATIO", default=100)
# Uploaded import files hold personal data: kept this many days after upload, then deleted (README).
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=30)

# Membership rules the domain brief marks unconfirmed: settings with sensible defaults.
MEMBERS_ONE_ACTIVE_MEMBERSHIP = env.bool("MEMBERS_ONE_ACTIVE_MEMBERSHIP", default=True)
MEMBERS_MIN_AGE = env.int("MEMBERS_MIN_AGE", default=15)
# Collective agreements and conferences (domain.md §4–§5 mark these unconfirmed): settings with defaults.
BARGAINING_MIN_YEARS = env.int("BARGAINING_MIN_YEARS", default=1)
BARGAINING_MAX_YEARS = env.int("BARGAINING_MAX_YEARS", default=3)
BARGAINING_MAX_FILE_BYTES = env.int("BARGAINING_MAX_FILE_BYTES", default=10 * 1024 * 1024)
CONFERENCES_DIALOGUE_MIN_PER_SIDE = env.int("CONFERENCES_DIALOGUE_MIN_PER_SIDE", default=3)
# The reporting year pages open on (core.periods.current_reporting_year): until this day ("MM-DD") of a
# year the default is the previous year. Percentages: decimals shown in pages and reports alike.
REPORTING_YEAR_CLOSES = env.str("REPORTING_YEAR_CLOSES", default="03-31")
PERCENT_DECIMALS = env.int("PERCENT_DECIMALS", default=2)
# Roles that see CCCD, phone and birth date unmasked (every full view is logged).
MEMBERS_PERSONAL_DATA_ROLES = env.list(
    "MEMBERS_PERSONAL_DATA_ROLES", default=["administrator", "cdcs_officer"]
)
# Kept per-CĐCS figures by period (issue 18, ``indicators.leaf``): read by the engine for scopes of at
# least LEAF_FIGURES_MIN_UNITS units (smaller ones count live); ``congdoan figures rebuild`` keeps the
# periods of LEAF_FIGURES_KINDS in the last LEAF_FIGURES_YEARS years. Off: everything is counted live.
LEAF_FIGURES = env.bool("LEAF_FIGURES", default=True)
LEAF_FIGURES_MIN_UNITS = env.int("LEAF_FIGURES_MIN_UNITS", default=2000)
LEAF_FIGURES_KINDS = env.list("LEAF_FIGURES_KINDS", default=["year", "half", "quarter"])
LEAF_FIGURES_YEARS = env.int("LEAF_FIGURES_YEARS", default=2)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
