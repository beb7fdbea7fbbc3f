"""Jobsite settings: one module, driven by the environment (see README.md, "Configuration")."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: database files, collected static files, secrets


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

# The environment wins; otherwise the key `make` writes to var/secret-key, so that manage.py
# commands run by hand find the same key as the site. A server can name its own file instead.
SECRET_KEY_FILE = Path(os.environ.get("DJANGO_SECRET_KEY_FILE") or VAR_DIR / "secret-key")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is not set and {SECRET_KEY_FILE} is missing or empty. "
            "Set DJANGO_SECRET_KEY, run `make run` (it writes var/secret-key), or point "
            "DJANGO_SECRET_KEY_FILE at a file holding the key."
        )
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - used only with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # First: its ready() registers the catalogue's history before the admin makes its pages.
    "catalogue",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml (catalogue/sitemaps.py)
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our own static files
    "corsheaders",
    "csp",
    "axes",
    "reversion",
    "jobsite",
    "roles",
    "skills",
    "salaries",
    "api",
]

MIDDLEWARE = [
    # The header middleware come first, so that every response carries their headers: those
    # answered further in (static files by whitenoise, the redirect to HTTPS by
    # SecurityMiddleware) and error pages alike.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that answers on its own: a preflight is answered here, and every API
    # response, errors included, carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 503 page, not a 500, while PostgreSQL is unreachable. It handles what views and
    # templates raise (process_exception), where the database is used, wherever it sits.
    "jobsite.middleware.DatabaseUnavailableMiddleware",
    # The API's per-client rate limit counts every answer, cached ones included.
    "api.throttling.ApiThrottleMiddleware",
    # Cached public pages are answered here, for visitors without a session cookie, before
    # the session, CSRF, auth, messages and axes middleware (jobsite/cache.py).
    "jobsite.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: a POST to a read-only page is answered 405, not 403.
    "jobsite.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jobsite.urls"
WSGI_APPLICATION = "jobsite.wsgi.application"

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
            ],
        },
    },
]

# PostgreSQL, always. DATABASE_URL names a server; without it an embedded server (pgserver)
# is started on demand with its data in var/pgdata, reachable only through a Unix socket.
EMBEDDED_POSTGRES_DIR = Path(os.environ.get("EMBEDDED_POSTGRES_DIR", VAR_DIR / "pgdata"))
EMBEDDED_POSTGRES_DATABASE = "jobsite"
# The pg_dump and pg_restore that backup_database and restore_database run: pgserver's own
# (PostgreSQL 16) unless this names another release's bin folder (for a newer server).
POSTGRES_BIN_DIR = os.environ.get("POSTGRES_BIN_DIR", "")

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL server (postgres://...).")
else:
    DATABASES = {
        "default": {
            "ENGINE": "jobsite.embedded_postgres",
            "NAME": EMBEDDED_POSTGRES_DATABASE,
        }
    }
# A failure half-way through a request leaves nothing half-written. (Public catalogue pages
# opt out with jobsite.cache.catalogue_page: they only read.)
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep connections open between requests, checking them before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that drops packets must not hang requests past gunicorn's timeout: fail
# fast and let the outage middleware answer 503.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# A read replica: reads go there, writes (and reads inside a write's transaction) do not.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"]),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["jobsite.routers.PrimaryReplicaRouter"]

# REDIS_URL: one cache shared by every process and server (pages, the page tags that say
# whether a cached page is current, API rate counts). Without it, pages are kept in each
# process's memory, bounded in bytes (LOCAL_CACHE_MB), and the page tags in files under var/
# that every process on the machine reads (jobsite/cache.py).
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
        for alias, prefix in [("default", ""), ("page_tags", "tags")]
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "jobsite.cache_backends.BoundedLocMemCache",
            "OPTIONS": {
                "MAX_BYTES": int(os.environ.get("LOCAL_CACHE_MB", "256")) * 1024 * 1024,
                "MAX_ENTRIES": 1_000_000,
            },
        },
        "page_tags": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache" / "page-tags",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
# How long a rendered public page is kept (0 turns page caching off), and how long browsers
# and CDNs may reuse one before revalidating with its ETag.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))

# `make bench` routes a bare view at /__baseline__/ to compare pages against.
BENCHMARK_BASELINE = env_flag("JOBSITE_BENCHMARK")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security ------------------------------------------------------------------------------
# Headers and cookies for the internet (README.md, "Security"). The HTTPS switches are off by
# default so that `make run` and `make dev` work over plain http://127.0.0.1:8000 on a laptop.
HTTPS = env_flag("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
# A load balancer probes these over plain HTTP inside the network; a redirect would fail it.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Sent only over HTTPS (Django leaves HSTS off plain-HTTP responses, as browsers ignore it).
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a proxy that terminates TLS: trust its X-Forwarded-Proto, and take the client's
# address from the X-Forwarded-For entry it appends (jobsite.security.client_ip_address).
# Set this only where the proxy overwrites X-Forwarded-Proto, or clients could forge it.
BEHIND_PROXY = env_flag("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything the pages and Django admin load comes from this site, and none of it is inline
# (JSON-LD is a data block, which script-src does not govern), so no 'unsafe-inline' and no
# nonces: a nonce would also go stale in a cached page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],  # no data: URLs: neither the site nor admin uses any
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "upgrade-insecure-requests": HTTPS,
    }
}
# Powerful browser features the site never uses are switched off for it and anything it
# embeds. Copying to the clipboard (the role page's button) keeps the browser's default.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
}

# Admin sign-in throttling (django-axes): five failures for one username from one address
# lock that pair out for 15 minutes, counted from the failure that locked it;
# failing again while locked out does not extend it, and other addresses are unaffected, so
# an attacker cannot keep an editor out. A successful sign-in clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out pairs before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jobsite.security.lockout_response"  # 429 page in the site's design
AXES_CLIENT_IP_CALLABLE = "jobsite.security.client_ip_address"
AXES_VERBOSE = False  # no banner on every manage.py command; failures are still logged
# --- end of Security -----------------------------------------------------------------------

# --- The public API (api/, README.md, "API") ----------------------------------------------
# Read-only and anonymous: no sessions, no CSRF, JSON only (the browsable API's pages need
# inline scripts; the Swagger page at /api/v1/docs/ is the browsable surface).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonOnlyNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    # Throttling runs before the page cache (api.throttling.ApiThrottleMiddleware), not in
    # DRF's views.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["api.filters.CatalogueFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CataloguePagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.CatalogueAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    # ?format= would be one more query parameter with a meaning of its own: there is one format.
    "URL_FORMAT_OVERRIDE": None,
}
# Requests one client (api.throttling: its address, as sign-in throttling reads it) may make,
# e.g. 120/min or 5000/hour; counted in the cache, so shared by all workers once REDIS_URL
# is set. "off" switches throttling off (the Schemathesis run does).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Jobsite API",
    "DESCRIPTION": "Read-only open data: published job descriptions, skills, salary bands and "
    "role families. Errors are RFC 9457 problem details (application/problem+json).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Public data for any site's scripts to read; nothing else crosses origins.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# Pay summaries (role cards, skill pages) are given in this currency, per year.
CATALOGUE_CURRENCY = "INR"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "filters": {"refusals_without_traceback": {"()": "jobsite.security.RefusalsWithoutTraceback"}},
    "loggers": {
        # pgserver narrates every start and stop at INFO; only its problems matter to us.
        "pgserver": {"level": "WARNING"},
        # A 403 or 400 is logged as one line, not with a traceback (jobsite/security.py).
        "django.request": {"filters": ["refusals_without_traceback"]},
    },
}
