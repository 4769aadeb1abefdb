"""Settings shared by every environment. Values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Mounts the benchmark's hand-written baseline views (bench/baseline.py); only `make bench` sets it.
BENCH_BASELINES = env.bool("BENCH_BASELINES", default=False)

INSTALLED_APPS = [
    "config.apps.OpsAdminConfig",  # Django's admin with the product's index (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "organizations",
    "orders",
    "reviews",
    "assignments",
    "appraisals",
    "partner",
    "events",
]

MIDDLEWARE = [
    # first: bounds every request body and refuses unknown methods before anything reads the request
    "common.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last: settles the session checks of reads that overlapped them with their own queries (a refused one runs
    # the view again, checked first)
    "accounts.middleware.DeferredSessionCheckMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # the admin index and the 403 page
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}


def database(url: str) -> dict:
    """DATABASE_URL plus the deadlines that keep a slow or unreachable PostgreSQL from stalling requests:
    connect timeout, TCP keepalives, a TCP user timeout (unacknowledged data on a cut link), a statement
    timeout and an idle-in-transaction timeout. Each is a setting; 0 turns the server-side ones off."""
    config = env.db_url_config(url)
    config["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in config["ENGINE"]:
        statement_ms = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30_000)
        idle_ms = env.int("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS", default=60_000)
        config.setdefault("OPTIONS", {}).update(
            {
                "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 3,
                "keepalives_count": 3,
                "tcp_user_timeout": env.int("DATABASE_TCP_USER_TIMEOUT_MS", default=10_000),
                "options": f"-c statement_timeout={statement_ms} -c idle_in_transaction_session_timeout={idle_ms}",
            }
        )
    return config


# --- Email: EMAIL_URL, e.g. smtp+tls://user:password@mail.example.com:587 (STARTTLS), smtp+ssl://...:465,
# smtp://host:25, consolemail:// (print), memorymail:// (tests). EMAIL_TIMEOUT bounds every SMTP operation.
def email_settings(default_url: str) -> dict:
    """EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL."""
    return {key: value for key, value in env.email_url("EMAIL_URL", default=default_url).items() if value is not None}


globals().update(email_settings("smtp://localhost:25"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@example.com")
#: a mail not delivered by then is given up (a confirmation code has expired by then anyway)
EMAIL_DELIVERY_GIVE_UP_HOURS = env.int("EMAIL_DELIVERY_GIVE_UP_HOURS", default=24)
#: a failed delivery is tried again after 10 s, 20 s, 40 s... at most 10 minutes apart
EMAIL_RETRY_BACKOFF_SECONDS = env.float("EMAIL_RETRY_BACKOFF_SECONDS", default=10.0)
EMAIL_RETRY_BACKOFF_MAX_SECONDS = env.float("EMAIL_RETRY_BACKOFF_MAX_SECONDS", default=600.0)

# --- Background work: Celery on RabbitMQ (config/celery.py) ---------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("RABBITMQ_URL", default="amqp://guest:guest@127.0.0.1:5672//"))
#: run tasks inline in the process that enqueues them (make run's default: nothing else needs to run)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_HEARTBEAT = 30
# A publish after commit waits at most about a second for the broker; what it misses the sweeps enqueue again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "email-sweep": {"task": "accounts.tasks.sweep_outgoing_email", "schedule": 60.0},
    # Idempotency keys past their 24 hours (common/idempotency.py); a user's own requests prune theirs too.
    "idempotency-keys-prune": {"task": "accounts.tasks.prune_idempotency_keys", "schedule": 3600.0},
    # The partner integration (partner/tasks.py): outbox sweep, status polling, reconciliation of unknown outcomes.
    "partner-outbox-sweep": {"task": "partner.tasks.sweep_partner_outbox", "schedule": 30.0},
    "partner-poll": {
        "task": "partner.tasks.poll_partner_orders",
        "schedule": env.float("PARTNERAPI_POLL_INTERVAL", default=60.0),
        "options": {"expires": env.float("PARTNERAPI_POLL_INTERVAL", default=60.0)},
    },
    "partner-reconcile": {
        "task": "partner.tasks.reconcile_partner_orders",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Webhooks (events/delivery.py): events whose fan-out the broker missed, overdue deliveries.
    "webhooks-sweep": {"task": "events.tasks.sweep_webhooks", "schedule": 30.0, "options": {"expires": 30}},
}

# --- Webhooks (events/) -------------------------------------------------------------------------------------
#: let endpoints target loopback, private and link-local addresses (local and test settings only: SSRF otherwise)
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=5.0)  # seconds per socket operation
WEBHOOKS_DEADLINE = env.float("WEBHOOKS_DEADLINE", default=10.0)  # seconds for one whole request
WEBHOOKS_RETRY_BACKOFF_SECONDS = env.float("WEBHOOKS_RETRY_BACKOFF_SECONDS", default=30.0)
WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS = env.float("WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS", default=3600.0)
WEBHOOKS_GIVE_UP_HOURS = env.float("WEBHOOKS_GIVE_UP_HOURS", default=24.0)

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SessionJWTAuthentication"],
    # Business endpoints need a confirmed email; auth endpoints relax this explicitly.
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.IsConfirmedUser"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "common.query.StrictFilterBackend",
        "common.query.StrictSearchFilter",
        "common.query.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's parsers, JSON with a nesting limit (JSON_MAX_DEPTH); OPTIONS metadata that never fails
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "common.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "common.metadata.APIMetadata",
    "EXCEPTION_HANDLER": "common.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("THROTTLE_AUTH", default="20/min"),
        "confirm_resend": env("THROTTLE_CONFIRM_RESEND", default="3/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Proxies in front of the app (1 behind the load balancer). It decides which X-Forwarded-For entry is the
    # client, for throttles and session IPs (common.http.client_ip); 0 ignores the header, which clients forge.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

# The largest request body, file uploads included (common/middleware.py), in bytes: 413 above it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# How deep a JSON body may nest arrays and objects (common/parsers.py): a 400 parse error beyond it.
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=64)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Orders platform API",
    "DESCRIPTION": (
        "One API for organization CRM orders (/orders/), marketplace orders and executors' "
        "responses (/api_v2/), executor assignment (/order/), appraisal participants "
        "(/api/appraisals/) and the pharmacy partner integration (/v1/, /v2/). "
        "Authenticate with `POST /api/auth/token/` and send `Authorization: Bearer <access>`."
    ),
    "VERSION": "1.0.0",
    # The sidebar of ReDoc and Swagger UI in reading order: log in first, then each domain. Every operation names
    # one of these (tests/test_openapi_docs.py).
    "TAGS": [
        {
            "name": "auth",
            "description": "Start here. Register, confirm the email with the mailed code, log in with "
            "`POST /api/auth/token/` and send `Authorization: Bearer <access>` on every other call. Each login is "
            "a session you can list and revoke. With `make run`, log in as `demo` / `demo-pass-2024`.",
        },
        {
            "name": "organizations",
            "description": "Organizations with their members, roles, services and clients. A member's role carries "
            "the order rights (view, create, change, delete) the orders operations check.",
        },
        {
            "name": "orders",
            "description": "Everything under `/orders/`: an organization's CRM orders (create, list, read, change, "
            "delete; document 001's bodies) and `PUT /orders/assign`, where the dispatch system registers an "
            "order assigned to an executor (its other calls are under assignments).",
        },
        {
            "name": "marketplace",
            "description": "Marketplace orders and executors' responses under `/api_v2/`: a customer publishes an "
            "order, executors open and negotiate it, the customer accepts one, starts, finishes and scores the work.",
        },
        {
            "name": "assignments",
            "description": "The dispatch system's executors and their assigned orders: an executor takes their "
            "order, dispatchers cancel or complete it and list every assignment. Registering an assignment is "
            "`PUT /orders/assign` (under orders).",
        },
        {
            "name": "appraisals",
            "description": "Appraisals and their participants for the HR system, with JSON Patch (RFC 6902) "
            "updates. Needs the hr-integration group (demo user `hr`).",
        },
        {
            "name": "partner",
            "description": "Orders placed with the pharmacy partner: place, cancel and follow an order. The "
            "partner's refusals are `result` envelopes at 200. Needs the partner-integration group (demo user "
            "`partner-service`).",
        },
        {
            "name": "partner v1 (deprecated)",
            "description": "The first version of the partner calls, kept for old clients; use the partner "
            "operations above.",
        },
        {
            "name": "webhooks",
            "description": "Hear about changes instead of polling: register a URL for the event types of a scope and "
            "get each event as a signed POST (retried for 24 h), with a delivery log, replays and test events. See "
            "the README's events section for every event type and how to verify a signature.",
        },
        {
            "name": "notifications",
            "description": "My feed: my response accepted or rejected, a new response to my order, work started or "
            "done, an order assigned to me; with the unread count and read marks.",
        },
        {"name": "health", "description": "Liveness of the process and of its database and broker, for probes."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Nothing from the internet: Swagger UI's online validator badge is off, ReDoc uses the system's fonts (its
    # page, common/docs.py, loads no Google Fonts and its bundle's CDN logo is replaced by a local one).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "displayRequestDuration": True},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"},
                "code": {"fontFamily": "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.openapi.add_page_not_found",
        "common.schema.add_body_variants",
        "common.openapi.add_body_refusals",
        "common.openapi.add_links",
    ],
}

# Email confirmation codes.
EMAIL_CODE_TTL_MINUTES = env.int("EMAIL_CODE_TTL_MINUTES", default=30)
EMAIL_CODE_MAX_ATTEMPTS = env.int("EMAIL_CODE_MAX_ATTEMPTS", default=5)
# How often a session's "last seen" time is written (seconds): keeps auth to one read per request.
SESSION_LAST_SEEN_RESOLUTION = env.int("SESSION_LAST_SEEN_RESOLUTION", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
        },
        # LOG_FORMAT=text (make run): one plain line per record, for people reading a terminal
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env("LOG_FORMAT", default="json")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own defaults give these loggers a plain-text handler of their own as well (runserver printed
        # every line twice, as text and as JSON): here each record is written once, by the one console handler.
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# The feed's covering index (INCLUDE creator_id) is a PostgreSQL optimisation; SQLite (make run) builds it
# without the included column, which is harmless.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
