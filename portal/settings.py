"""Settings of the MSE portal, read from the environment through one ``environ.Env``.

With no environment at all the portal runs on an embedded default: an SQLite file and a Celery
broker on the local file system (kombu's filesystem transport), so a fresh machine needs no server.
With ``DATABASE_URL`` and ``REDIS_URL`` it runs on PostgreSQL and Redis. Every variable is listed
in ``docs/settings.md``.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelAdmin[Model], QuerySet[Model]...) can be subscripted, as the types say.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Production-safe by default: development is turned on explicitly (`make run`, the test settings).
DEBUG = env.bool("DJANGO_DEBUG", default=False)
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
    "csp",
    "axes",
    # the shared core ("portal" itself carries the project-wide management commands)
    "portal",
    "portal.accounts",
    "portal.people",
    "portal.territory",
    "portal.workcal",
    "portal.referrals",
    "portal.consent",
    "portal.accesslog",
    "portal.signatures",
    "portal.nosology",
    "portal.statedata",
    "portal.acts",
    "portal.reports",
    # the apps
    "notifications",
    "queue_booking",
    "mse_pilot",
    "expert_registry",
    "benefits",
]

MIDDLEWARE = [
    # first: the request latency it measures (Prometheus, /metrics) covers every other middleware
    "portal.monitoring.middleware.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.accounts.middleware.CitizenIdleTimeoutMiddleware",
    "portal.accounts.middleware.PersonalPagesNoStoreMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # last, as django-axes asks: turns a refused staff or admin sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
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
    # The hot API lookups (portal/prepared.py) run on server-binding cursors: psycopg prepares each
    # from its Nth run on a connection, so PostgreSQL plans it once, not on every request. Django's
    # own cursors bind on the client and are never prepared. Behind a pooler in transaction mode
    # (prepared statements do not survive a change of server connection) set it to 0: never prepare.
    _prepare_threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = _prepare_threshold or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and Celery -------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Seconds a Redis connect or command may take before the cache, the API request budgets and the
# broker publish give up: with Redis down a request must not hang on it.
REDIS_SOCKET_TIMEOUT_SECONDS = env.float("REDIS_SOCKET_TIMEOUT_SECONDS", default=1.0)


def redis_caches(url: str) -> dict:
    """The cache and the API request budgets on Redis (django-redis). When Redis is down both fail
    open: a read misses, a write is dropped, the error is logged (logger ``portal.cache``), and the
    request goes on; API budgets are not enforced until Redis is back."""
    cache = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT_SECONDS,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT_SECONDS,
        },
    }
    # "throttle": API request budgets (portal/accounts/throttling.py), shared by every web process
    return {"default": cache, "throttle": dict(cache)}


def redis_broker_transport_options() -> dict:
    """A publish to a Redis that is down fails at once (one quick retry) instead of after about six
    seconds of reconnecting: the outbox row stays due and the beat re-dispatch publishes it later."""
    return {
        "visibility_timeout": 3600,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache"
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = (
        redis_broker_transport_options() if CELERY_BROKER_URL.startswith("redis") else {"visibility_timeout": 3600}
    )
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
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username and address pair is refused before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Citizen sign-in by one-time SMS code: every limit here, documented in docs/settings.md. No limit
# locks an IIN: a wrong guess only uses up that code, and its owner can ask for a new one (sec5).
SIGN_IN_CODE_TTL_SECONDS = env.int("SIGN_IN_CODE_TTL_SECONDS", default=300)
# Wrong guesses one code survives; then the code is dead.
SIGN_IN_MAX_ATTEMPTS = env.int("SIGN_IN_MAX_ATTEMPTS", default=5)
# Codes (SMS) one IIN may be sent per 15 minutes and per day at the request of one client address:
# each address has its own budget, so a stranger's requests never use up the owner's.
SIGN_IN_CODES_PER_15_MINUTES = env.int("SIGN_IN_CODES_PER_15_MINUTES", default=3)
SIGN_IN_CODES_PER_DAY = env.int("SIGN_IN_CODES_PER_DAY", default=10)
# Codes (SMS) one IIN may be sent per day across all client addresses: what one IIN can cost.
SIGN_IN_CODES_PER_IIN_PER_DAY = env.int("SIGN_IN_CODES_PER_IIN_PER_DAY", default=30)
# A repeated "Send code" from the same client address within this many seconds reuses the live code
# sent to that address's request: no second SMS.
SIGN_IN_CODE_REUSE_SECONDS = env.int("SIGN_IN_CODE_REUSE_SECONDS", default=60)
# Per client address, per hour: code requests (any IIN) and wrong codes.
SIGN_IN_REQUESTS_PER_ADDRESS_PER_HOUR = env.int("SIGN_IN_REQUESTS_PER_ADDRESS_PER_HOUR", default=30)
SIGN_IN_WRONG_CODES_PER_ADDRESS_PER_HOUR = env.int("SIGN_IN_WRONG_CODES_PER_ADDRESS_PER_HOUR", default=20)
# Wrong codes the whole portal accepts per minute; past it every code check waits for the next minute.
SIGN_IN_WRONG_CODES_PER_MINUTE = env.int("SIGN_IN_WRONG_CODES_PER_MINUTE", default=60)
# A citizen's session ends after this many minutes without a request (staff keep Django's default).
CITIZEN_SESSION_IDLE_MINUTES = env.int("CITIZEN_SESSION_IDLE_MINUTES", default=30)
# Staff and admin password sign-in (django-axes): failures allowed per username and address pair,
# then that pair waits the cool-off; the database handler keeps the count on SQLite and PostgreSQL.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("STAFF_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STAFF_SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.staff_lockout"
AXES_VERBOSE = False  # no start-up banner on every manage.py command; lockouts are still logged

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

# --- uploads of documents (portal/uploads.py): expert candidates (E-3), benefits (B-5, B-13) -----
# Kept outside MEDIA_ROOT, never served publicly. The EXPERT_* names are read as fallbacks.
PRIVATE_MEDIA_ROOT = env(
    "PRIVATE_MEDIA_ROOT", default=env("EXPERT_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=env.int("EXPERT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024))
# A dotted path to a callable(name, data: bytes) -> None that raises ValueError for an infected file.
# The default accepts every file: set it to the antivirus's adapter in production.
UPLOAD_SCANNER = env("UPLOAD_SCANNER", default=env("EXPERT_UPLOAD_SCANNER", default="portal.uploads.scan_nothing"))
# Hours after which a private file no row names is deleted by the nightly sweep
# (portal.private_uploads_orphans_sweep); younger files may belong to a transaction still open.
UPLOAD_ORPHAN_AGE_HOURS = env.int("UPLOAD_ORPHAN_AGE_HOURS", default=24)

# --- registry of doctor-experts (expert_registry) ----------------------------------------------
# E-5: questions drawn per test and the time allowed (the act sets neither).
EXPERT_TEST_QUESTIONS = env.int("EXPERT_TEST_QUESTIONS", default=30)
EXPERT_TEST_MINUTES = env.int("EXPERT_TEST_MINUTES", default=60)

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

# --- error reports: no secret on the debug page or in error e-mails (sec10) --------------------
# Django hides *KEY*, *SECRET*, *PASS*...; this also hides *URL*/*DSN* and any URL's password.
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.error_reports.SecretsHiddenReporterFilter"

# --- request bodies: size and JSON nesting limits (sec14) --------------------------------------
# Every API parses JSON through portal/parsers.py: a larger or deeper body is a 400 in the one
# error shape, never a 500. Forms keep Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE).
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "portal.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]

# --- the schema documents the error answers (sec17) --------------------------------------------
# 400/401/403/404/409/429 on every operation, in the one error shape with an example (portal/openapi.py).
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "portal.openapi.ErrorDocumentingAutoSchema"

# --- Content-Security-Policy (django-csp) (sec17) -----------------------------------------------
# Scripts and styles only from our own origin; an inline <style> or <script> needs the request's
# nonce ({{ request.csp_nonce }}). The API docs page (Swagger UI) loads its init script from a URL
# too (SpectacularSwaggerSplitView); its icons are data: images.
from csp.constants import NONCE  # noqa: E402  (the policy's nonce placeholder)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        # NCALayer, the national CA's signing application, listens on this local websocket
        # (static/portal/signing.js); nothing else leaves the page.
        "connect-src": ["'self'", "wss://127.0.0.1:13579"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- monitoring (portal/health.py, portal/monitoring/) ------------------------------------------
# /healthz: seconds since the every-minute heartbeat last ran before beat counts as late.
HEALTH_BEAT_MAX_AGE_SECONDS = env.int("HEALTH_BEAT_MAX_AGE_SECONDS", default=300)
# /metrics (Prometheus): served only to a request with "Authorization: Bearer <METRICS_TOKEN>" or
# from an address in METRICS_ALLOWED_IPS (the address the portal sees: behind a proxy, use the
# token). Neither set (the production default): not found, whoever asks.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# Log lines: "plain" text, or "json" (one JSON object a line, for a log collector); both masked.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")

# Every handler masks IINs, phone numbers and secrets (portal/log_filters.py), the development
# server's request lines included; Celery workers log through these handlers too (no hijacking).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "portal.log_filters.PersonalDataFilter"},
        "cache_outage": {"()": "portal.log_filters.CacheOutageFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.monitoring.logs.JsonFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "portal.cache": {"filters": ["cache_outage"]},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# X-9 [A]: days a row of the personal data access log is kept; a daily beat task deletes older
# rows (0 keeps them for ever).
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=1096)

# --- the apps' own settings -------------------------------------------------------------------
# Notifications: which backend delivers SMS (console, database, http); see docs/settings.md.
SMS_BACKEND = env("SMS_BACKEND", default="database" if DEBUG else "http")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_LOGIN = env("SMS_GATEWAY_LOGIN", default="")
SMS_GATEWAY_PASSWORD = env("SMS_GATEWAY_PASSWORD", default="")
SMS_GATEWAY_SENDER = env("SMS_GATEWAY_SENDER", default="")
SMS_CALLBACK_SECRET = env("SMS_CALLBACK_SECRET", default="dev-callback-secret" if DEBUG else "")
# The dev inbox (/notifications/dev/inbox/) shows every SMS, sign-in codes included: routed only in
# development and only when asked for (`make run` does; sec10). Never on with DEBUG off.
SMS_DEV_INBOX = DEBUG and env.bool("SMS_DEV_INBOX", default=False)
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
# The beat's drain sends in batches: SMS_SEND_BATCH rows claimed at once (SKIP LOCKED), sent by
# SMS_SEND_THREADS threads over pooled keep-alive connections, outcomes written in one statement;
# up to SMS_DRAIN_TASKS drain tasks at once, each for at most SMS_DRAIN_SECONDS.
SMS_SEND_BATCH = env.int("SMS_SEND_BATCH", default=100)
SMS_SEND_THREADS = env.int("SMS_SEND_THREADS", default=8)
SMS_DRAIN_TASKS = env.int("SMS_DRAIN_TASKS", default=4)
SMS_DRAIN_SECONDS = env.int("SMS_DRAIN_SECONDS", default=50)
# Status polling of accepted messages (gateways whose callbacks are missing or unverified).
SMS_STATUS_POLL_MIN_AGE_SECONDS = env.int("SMS_STATUS_POLL_MIN_AGE_SECONDS", default=60)
SMS_STATUS_POLL_MAX_AGE_HOURS = env.int("SMS_STATUS_POLL_MAX_AGE_HOURS", default=72)
SMS_STATUS_POLL_BATCH = env.int("SMS_STATUS_POLL_BATCH", default=200)
# the booking video instruction.
QUEUE_VIDEO_INSTRUCTION_URL = env("QUEUE_VIDEO_INSTRUCTION_URL", default="https://www.youtube.com/@enbekgovkz")
# Electronic queue (Q): lateness, reminders, booking horizon, rebooking holds, warnings, incidents.
QUEUE_LATE_MINUTES = env.int("QUEUE_LATE_MINUTES", default=15)
# S-3: the desk flags a wait or a service as close to the standard's one hour from this many minutes.
QUEUE_S3_WARNING_MINUTES = env.int("QUEUE_S3_WARNING_MINUTES", default=50)
QUEUE_REMINDER_DAYS_BEFORE = env.int("QUEUE_REMINDER_DAYS_BEFORE", default=3)
QUEUE_BOOKING_HORIZON_DAYS = env.int("QUEUE_BOOKING_HORIZON_DAYS", default=60)
QUEUE_REBOOK_HOLD_HOURS = env.int("QUEUE_REBOOK_HOLD_HOURS", default=48)
QUEUE_SCHEDULE_WARNING_DAY = env.int("QUEUE_SCHEDULE_WARNING_DAY", default=15)
QUEUE_INCIDENT_REPORT_WORKING_DAYS = env.int("QUEUE_INCIDENT_REPORT_WORKING_DAYS", default=3)
QUEUE_WAITLIST_OFFER_LIMIT = env.int("QUEUE_WAITLIST_OFFER_LIMIT", default=20)
QUEUE_CABINET_PATH = env("QUEUE_CABINET_PATH", default="/queue/")

# Proactive remote MSE (P-7; mse_pilot/deadlines.py, docs/settings.md): the expert's 1-working-day
# term. [A] "same_day" (SPEC's reading): received on a working day by the cut-off, due that day at
# 18:00; later or on a day off, due 18:00 of the next working day. "next_day" (the Civil Code's
# count, a term starts the day after its event): due 18:00 of the first working day after receipt.
MSE_PILOT_DUE_READING = env("MSE_PILOT_DUE_READING", default="same_day")
MSE_PILOT_DECISION_CUTOFF = env("MSE_PILOT_DECISION_CUTOFF", default="16:00")
# P-6/E-8: how many draft acts one distributor transaction takes from the waiting list.
MSE_PILOT_DISTRIBUTION_BATCH = env.int("MSE_PILOT_DISTRIBUTION_BATCH", default=500)

# X-6 (portal/deadlines, docs/settings.md): a deadline on the radar (every app's, and the remote
# pilot's SMS to the expert) is "due soon" with this many working hours (or fewer) left.
DEADLINES_DUE_SOON_WORKING_HOURS = env.float("DEADLINES_DUE_SOON_WORKING_HOURS", default=2.0)

# Electronic signatures (P-5; portal.signatures, docs/settings.md). Development trusts the test PKI
# that `manage.py signatures_test_pki` writes under var/pki/; production trusts nothing until NCA's
# roots are configured, and refuses to start while a test root is trusted (check signatures.E001).
_TEST_PKI = BASE_DIR / "var" / "pki"
SIGNATURE_TRUSTED_ROOTS = env.list("SIGNATURE_TRUSTED_ROOTS", default=[str(_TEST_PKI / "root.pem")] if DEBUG else [])
SIGNATURE_CRLS = env.list(
    "SIGNATURE_CRLS", default=[str(_TEST_PKI / "root.crl"), str(_TEST_PKI / "intermediate.crl")] if DEBUG else []
)
SIGNATURE_REVOCATION_FETCH = env.bool("SIGNATURE_REVOCATION_FETCH", default=False)  # OCSP/CRL from the certificates
SIGNATURE_BACKEND = env("SIGNATURE_BACKEND", default="local")  # local (GOST keys go to NCANode) | ncanode
SIGNATURE_MAX_BYTES = env.int("SIGNATURE_MAX_BYTES", default=64 * 1024)
# Development's stand-in for NCALayer (portal.signatures.views.demo_sign): signs with the test PKI.
# Works only with DEBUG on; check signatures.E003 refuses it in production.
SIGNATURE_DEMO_SIGNER = env.bool("SIGNATURE_DEMO_SIGNER", default=DEBUG)
NCANODE_URL = env("NCANODE_URL", default="")
NCANODE_TIMEOUT_SECONDS = env.float("NCANODE_TIMEOUT_SECONDS", default=10.0)
# State information systems through the e-government gateway (portal/statedata): demo (rows in the
# admin) or shep (HTTP); STATEDATA_BACKENDS overrides per system ("civil_registry.death=shep,...").
STATEDATA_BACKEND = env("STATEDATA_BACKEND", default="demo" if DEBUG else "shep")
STATEDATA_BACKENDS = env.dict("STATEDATA_BACKENDS", default={})
STATEDATA_SHEP_URL = env("STATEDATA_SHEP_URL", default="")
STATEDATA_SHEP_TOKEN = env("STATEDATA_SHEP_TOKEN", default="")
STATEDATA_TIMEOUT_SECONDS = env.float("STATEDATA_TIMEOUT_SECONDS", default=10.0)
SIGNATURE_NCA_ISSUERS = env.list(
    "SIGNATURE_NCA_ISSUERS",
    default=["ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)", "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"],
)

# Register of MSE acts (portal.acts). X-10 [A]: remind a person this many days before their
# disability term ends to get a new form 031/u (valid one month, S-2). Pension age (Social Code:
# people of pension age are re-examined only on their own application, so never reminded): men 63,
# women 61 (frozen at 61 until 2028; raise it here as the Code's schedule takes effect).
ACT_TERM_REMINDER_DAYS = env.int("ACT_TERM_REMINDER_DAYS", default=45)
