"""Settings of the MSE portal, read from the environment through one ``environ.Env``.

With no environment at all the portal runs on an embedded default: an SQLite file and a Celery
broker on the local file system (kombu's filesystem transport), so a fresh machine needs no server.
With ``DATABASE_URL`` and ``REDIS_URL`` it runs on PostgreSQL and Redis. Every variable is listed
in ``docs/settings.md``.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Production (DEBUG off) has no default secret: a missing one stops the start.
SECRET_KEY = (
    env("DJANGO_SECRET_KEY")
    if not DEBUG
    else env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-0123456789")
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public address citizens reach; SMS links are built from it.
SITE_URL = env("PORTAL_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "auditlog",
    # the shared core ("portal" itself carries the project-wide management commands)
    "portal",
    "portal.accounts",
    "portal.people",
    "portal.territory",
    "portal.workcal",
    "portal.referrals",
    "portal.consent",
    # the apps
    "notifications",
    "queue_booking",
    "mse_pilot",
    "expert_registry",
    "benefits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE makes every transaction take
    # the write lock at its start, so two bookings for the last place serialise instead of racing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and Celery -------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        # API request budgets (portal/accounts/throttling.py), shared by every web process
        "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        },
        # API request budgets: kept in the (single) web process, so an API call writes no row
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
    _broker_dir = BASE_DIR / "var" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # The embedded broker's folders must exist before the web process sends its first task.
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Citizen sign-in by one-time SMS code.
SIGN_IN_CODE_TTL_SECONDS = env.int("SIGN_IN_CODE_TTL_SECONDS", default=300)
SIGN_IN_MAX_ATTEMPTS = env.int("SIGN_IN_MAX_ATTEMPTS", default=5)
SIGN_IN_LOCKOUT_SECONDS = env.int("SIGN_IN_LOCKOUT_SECONDS", default=900)
SIGN_IN_CODES_PER_HOUR = env.int("SIGN_IN_CODES_PER_HOUR", default=5)

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# The portal's catalogs first (they win), then its Kazakh for Django's, the admin's and DRF's own
# strings (portal/i18n.py: a page never falls back to another language).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# --- static -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.accounts.authentication.IntegratorTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.errors.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["portal.accounts.throttling.ApiRateThrottle"],
    # Proxies in front of the app that append to X-Forwarded-For (0: use the connection's address,
    # so a client cannot pick its own address by sending the header).
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
# Requests per caller (DRF rate syntax, e.g. "1200/min"); see portal/accounts/throttling.py.
API_RATE_INTEGRATOR = env("API_RATE_INTEGRATOR", default="1200/min")
API_RATE_USER = env("API_RATE_USER", default="120/min")
API_RATE_ANON = env("API_RATE_ANON", default="60/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "MSE portal API",
    "DESCRIPTION": "Referrals (form 031/u), the electronic queue, notifications and benefits. "
    "Integrators authenticate with `Authorization: Token <key>`; each token carries scopes.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- production hardening (all on when DEBUG is off) ------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP inside
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- the apps' own settings -------------------------------------------------------------------
# Notifications: which backend delivers SMS (console, database, http); see docs/settings.md.
SMS_BACKEND = env("SMS_BACKEND", default="database" if DEBUG else "http")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_LOGIN = env("SMS_GATEWAY_LOGIN", default="")
SMS_GATEWAY_PASSWORD = env("SMS_GATEWAY_PASSWORD", default="")
SMS_GATEWAY_SENDER = env("SMS_GATEWAY_SENDER", default="")
SMS_CALLBACK_SECRET = env("SMS_CALLBACK_SECRET", default="dev-callback-secret" if DEBUG else "")
# The gateway client: seconds before a call times out, and immediate repeats of a call the gateway
# surely did not process (connection refused, HTTP 502/503/504).
SMS_GATEWAY_TIMEOUT_SECONDS = env.float("SMS_GATEWAY_TIMEOUT_SECONDS", default=10.0)
SMS_GATEWAY_RETRIES = env.int("SMS_GATEWAY_RETRIES", default=2)
# [A] Quiet hours (Asia/Almaty): non-urgent SMS wait until the end; urgent ones (codes) go at once.
SMS_QUIET_HOURS_START = env("SMS_QUIET_HOURS_START", default="22:00")
SMS_QUIET_HOURS_END = env("SMS_QUIET_HOURS_END", default="08:00")
# At most this many SMS per phone per hour; more wait (0 turns the limit off).
SMS_RATE_LIMIT_PER_HOUR = env.int("SMS_RATE_LIMIT_PER_HOUR", default=10)
# Retries: exponential backoff from the base up to the cap; Celery retries a task this many times
# (for waits up to SMS_TASK_RETRY_MAX_COUNTDOWN), then the beat re-dispatch takes over.
SMS_RETRY_BACKOFF_SECONDS = env.int("SMS_RETRY_BACKOFF_SECONDS", default=30)
SMS_RETRY_BACKOFF_MAX_SECONDS = env.int("SMS_RETRY_BACKOFF_MAX_SECONDS", default=1800)
SMS_TASK_MAX_RETRIES = env.int("SMS_TASK_MAX_RETRIES", default=5)
SMS_TASK_RETRY_MAX_COUNTDOWN = env.int("SMS_TASK_RETRY_MAX_COUNTDOWN", default=900)
# A message not sent within this many hours is given up (marked, for staff to resend).
SMS_MESSAGE_TTL_HOURS = env.int("SMS_MESSAGE_TTL_HOURS", default=72)
# The beat re-dispatch: how long a due message may wait for its on-commit task before the beat
# sends it again, how long "sending" may last before the worker is presumed lost, and batch size.
SMS_REDISPATCH_GRACE_SECONDS = env.int("SMS_REDISPATCH_GRACE_SECONDS", default=60)
SMS_SENDING_STALE_SECONDS = env.int("SMS_SENDING_STALE_SECONDS", default=300)
SMS_REDISPATCH_BATCH = env.int("SMS_REDISPATCH_BATCH", default=500)
# Status polling of accepted messages (gateways whose callbacks are missing or unverified).
SMS_STATUS_POLL_MIN_AGE_SECONDS = env.int("SMS_STATUS_POLL_MIN_AGE_SECONDS", default=60)
SMS_STATUS_POLL_MAX_AGE_HOURS = env.int("SMS_STATUS_POLL_MAX_AGE_HOURS", default=72)
SMS_STATUS_POLL_BATCH = env.int("SMS_STATUS_POLL_BATCH", default=200)
# the booking video instruction.
QUEUE_VIDEO_INSTRUCTION_URL = env("QUEUE_VIDEO_INSTRUCTION_URL", default="https://www.youtube.com/@enbekgovkz")
# Electronic queue (Q): lateness, reminders, booking horizon, rebooking holds, warnings, incidents.
QUEUE_LATE_MINUTES = env.int("QUEUE_LATE_MINUTES", default=15)
QUEUE_REMINDER_DAYS_BEFORE = env.int("QUEUE_REMINDER_DAYS_BEFORE", default=3)
QUEUE_BOOKING_HORIZON_DAYS = env.int("QUEUE_BOOKING_HORIZON_DAYS", default=60)
QUEUE_REBOOK_HOLD_HOURS = env.int("QUEUE_REBOOK_HOLD_HOURS", default=48)
QUEUE_SCHEDULE_WARNING_DAY = env.int("QUEUE_SCHEDULE_WARNING_DAY", default=15)
QUEUE_INCIDENT_REPORT_WORKING_DAYS = env.int("QUEUE_INCIDENT_REPORT_WORKING_DAYS", default=3)
QUEUE_WAITLIST_OFFER_LIMIT = env.int("QUEUE_WAITLIST_OFFER_LIMIT", default=20)
QUEUE_CABINET_PATH = env("QUEUE_CABINET_PATH", default="/queue/")
