"""Settings for 应急网格, read from the environment in this one module.

Three modes, chosen by DJANGO_ENV:
- ``development`` (default): SQLite file, a Celery broker on the file system (no server),
  e-mail printed to the console.
- ``test``: the same defaults, with only what makes tests faster or deterministic changed.
- ``production``: refuses to start without a real SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
  (PostgreSQL), REDIS_URL and EMAIL_URL; HTTPS-only cookies, HSTS.

DATABASE_URL and REDIS_URL switch any mode to PostgreSQL and Redis (broker, results, cache).
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state of the embedded defaults (SQLite, broker, uploads)

env = environ.Env()
ENV = env.str("DJANGO_ENV", default="development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {ENV!r}")
PRODUCTION = ENV == "production"
TESTING = ENV == "test"

DEV_SECRET_KEY = "dev-only-insecure-key-" + "x" * 40
if PRODUCTION:
    # Production refuses to start on the embedded defaults (SQLite, the file-system broker,
    # console e-mail, the development key): every problem is listed in one error.
    _problems = []
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("dev-only-", "django-insecure")):
        _problems.append(
            "SECRET_KEY 必须是随机生成的、至少 50 个字符的密钥 (SECRET_KEY must be a random key of at least 50"
            " characters, not the development default: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        _problems.append("请设置 ALLOWED_HOSTS (set ALLOWED_HOSTS, e.g. grid.example.gov.cn)")
    if not env.str("DATABASE_URL", default="").startswith(("postgres://", "postgresql://", "pgsql://")):
        _problems.append(
            "DATABASE_URL 必须指向 PostgreSQL (DATABASE_URL must point at PostgreSQL: postgres://user:pass@host:5432/name)"
        )
    if not env.str("REDIS_URL", default="").startswith(("redis://", "rediss://")):
        _problems.append(
            "REDIS_URL 必须指向 Redis 服务器 (REDIS_URL must point at the Redis server: redis://host:6379/0)"
        )
    if not env.str("EMAIL_URL", default="").startswith(("smtp://", "smtps://", "smtp+tls://", "smtp+ssl://")):
        _problems.append(
            "EMAIL_URL 必须指向 SMTP 邮件服务器 (EMAIL_URL must point at the SMTP server: smtp://user:pass@mail.example.gov.cn:25)"
        )
    if _problems:
        raise ImproperlyConfigured("生产模式无法启动 (production mode cannot start):\n- " + "\n- ".join(_problems))
    DEBUG = False
else:
    SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
    DEBUG = env.bool("DEBUG", default=not TESTING)

INSTALLED_APPS = [
    "emergency.apps.EmergencyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mptt",
    "simple_history",
    "leaflet",
    "django_celery_beat",
    "csp",
    "core",  # shared machinery (the outbox): imports no app; every app may import it
    "grids",
    "delivery",  # documents between tiers, inboxes, 签收: every register sends through it
    "hazards",
    "reports",
    "dispatch",
    "plans",  # emergency plans: the register, review, filing up a tier
    "drills",  # drills and training: requirements, double-blind drills, evaluation, findings
    "supplies",  # emergency supplies: depots, lots, the ledger, norms, readiness
    "resources",  # rescue teams, experts, roll calls of the contact network, "who can I send"
    "offline",  # the officer's phone: web-app manifest, service worker, the offline queue, 我的
    "library",  # the case and regulation libraries
    "patrols",  # patrols, the village grid ledger, presence checks (到岗抽查)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "emergency.middleware.PermissionsPolicyMiddleware",
    "emergency.middleware.QueuedFormRedirectMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "emergency.errors.RequestTooBigMiddleware",  # an oversized body is a Chinese 413, not a 400/500
]

ROOT_URLCONF = "emergency.urls"
FORM_RENDERER = "core.renderers.QuickRenderer"  # TemplatesSetting (widgets may use templates/ too), stock inputs and selects in Python
WSGI_APPLICATION = "emergency.wsgi.application"

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
                "django.template.context_processors.i18n",
                "delivery.context.inbox",
                "dispatch.context.unacknowledged_warnings",
                "grids.context.desk",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) with DATABASE_URL.
DATABASES = {"default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not memory) so that a Celery worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    if TESTING:
        # Tests need no durability: without this every commit of a transactional test (a live
        # server's request, a flush) waits ~17 ms for the disk.
        DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "grids.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "grids:home"
LOGOUT_REDIRECT_URL = "login"

# Language and time: Simplified Chinese first, English through the language switcher.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["emergency.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Browser assets PyPI does not ship whole, installed from npm by `make install` (`npm ci` with the
# committed package-lock.json) and served under static/vendor/ like our own files.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS.append(("vendor/markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"))
# The phone's service worker and queue (offline/): Workbox's runtime builds and idb, from npm.
for _package in ("workbox-sw", "workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration", "idb"):
    STATICFILES_DIRS.append((f"vendor/{_package}", NODE_MODULES / _package / "build"))
# Single files of packages whose dist/ holds many builds (ECharts: 50 MB with source maps), served
# by core.staticfinders.NodeFileFinder under the static path on the left.
NODE_STATIC_FILES = {"vendor/echarts/echarts.common.min.js": "echarts/dist/echarts.common.min.js"}
# The unit chooser (grids.widgets.UnitChooser): tom-select's one build and style sheet, with the
# source maps they name (collectstatic's manifest storage refuses a file whose map is missing).
for _path in ("js/tom-select.complete.min.js", "css/tom-select.default.min.css"):
    for _file in (_path, f"{_path}.map"):
        NODE_STATIC_FILES[f"vendor/tom-select/{Path(_file).name}"] = f"tom-select/dist/{_file}"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticfinders.NodeFileFinder",
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files are served by views that check scope (grids/files.py); in production they hand the
# sending to nginx (X-Accel-Redirect to its internal /protected-media/ location, see README).
FILES_X_ACCEL_REDIRECT = env.bool("FILES_X_ACCEL_REDIRECT", default=PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION  # development and tests serve static files straight from the apps
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Redis: broker, result backend and cache when REDIS_URL is set; no server needed otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A message taken by a worker that dies (kill -9, power cut) goes back to the queue after this
    # many seconds (acks are late). It must exceed the longest task and the longest countdown/ETA
    # (retries back off to 240 s), or the message is handed to a second worker while the first
    # still runs it; tasks claim their work, so that costs time, not duplicates.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery")))
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="emergency")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "emergency.beat:EditableScheduler"
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
# The outbox (core/): jobs and e-mails written with the change, published after the commit; rows
# still unsent this long after (the broker was down) are published by the sweep, every minute.
OUTBOX_GRACE_SECONDS = env.int("OUTBOX_GRACE_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=20)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)

# E-mail: printed to the console unless EMAIL_URL is set (smtp://user:pass@host:port).
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="应急网格 <noreply@localhost>")

# Text messages and voice calls (core/sms.py): "console" logs them, "locmem" keeps them for tests,
# "http" posts them, signed, to the county's SMS platform (SMS_GATEWAY_URL may hold {to}, {reference}).
SMS_BACKEND = env.str("SMS_BACKEND", default="locmem" if TESTING else "console")
SMS_GATEWAY = {
    "url": env.str("SMS_GATEWAY_URL", default=""),
    "params": env.json("SMS_GATEWAY_PARAMS", default={}),  # e.g. {"account": "lingyun", "sign": "凌云应急"}
    "secret": env.str("SMS_GATEWAY_SECRET", default=""),  # HMAC-SHA256 of requests and delivery reports
    "timeout": env.int("SMS_GATEWAY_TIMEOUT", default=10),
    "max_age": env.int("SMS_REPORT_MAX_AGE", default=600),  # seconds a signed delivery report stays good
}
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=12)  # then the message is marked failed
SMS_COVERAGE_TARGET = env.int("SMS_COVERAGE_TARGET", default=95)  # per cent of units reached (到户到人)
# 无事报平安: the seasons (MM-DD to MM-DD, per county code; "*" for any other county), the cut-off hour.
SAFE_REPORT_SEASONS = env.json(
    "SAFE_REPORT_SEASONS", default={"*": [["04-01", "10-15"], ["12-01", "02-28"]]}
)  # flood season; forest-fire season across the new year
SAFE_REPORT_CUTOFF_HOUR = env.int("SAFE_REPORT_CUTOFF_HOUR", default=10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "grids.auth.ExpiringTokenAuthentication",  # first: a refused token is a 401 with its reason
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["grids.choices.ScopedFilterBackend"],  # choices of filters from the scope
    # Production answers JSON only: the browsable API renders forms and filters with choices.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "emergency.errors.api_exception_handler",  # service/database errors → 400, in Chinese
}
SPECTACULAR_SETTINGS = {
    "TITLE": "应急网格 API",
    "DESCRIPTION": "County emergency-management grid. Every endpoint is limited to the grid scope of the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # the schema is for our users only
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name ("state", "level") get their own component names.
    "ENUM_NAME_OVERRIDES": {
        "MonthlyReportStateEnum": "reports.models.MonthlyReport.State",
        "ConsultationStateEnum": "reports.models.Consultation.State",
        "CountermeasureStateEnum": "reports.models.Countermeasure.State",
        "DeliveryStateEnum": "delivery.models.Delivery.State",
        "RiskLevelEnum": "hazards.models.RiskLevel",
        "HazardStateEnum": "hazards.models.State",
        "WarningLevelEnum": "dispatch.models.Level",
        "LotSourceEnum": "supplies.models.Lot.Source",
        "HazardSourceEnum": "hazards.models.Source",
        "RegulationKindEnum": "library.models.Regulation.Kind",
        "TeamMemberRoleEnum": "resources.models.TeamMember.Role",
        "RoleEnum": "grids.models.Role",
    },
}

# Logins and API tokens (grids/auth.py). django-axes counts wrong passwords on every login (the
# site, the admin, the API's token endpoint) and after LOGIN_FAILURE_LIMIT of them locks the account
# for LOGIN_LOCKOUT_MINUTES, even against the right password. Locked per user name by default: a
# township office behind one NAT address is not locked out by one colleague's typos
# (LOGIN_LOCKOUT_BY=username_ip counts per user name and address instead). A grid leader unlocks
# their own people on the person's page, the administrator in the admin (Axes › access attempts).
from datetime import timedelta  # noqa: E402

INSTALLED_APPS.append("axes")
MIDDLEWARE += ["grids.auth.PasswordChangeRequiredMiddleware", "axes.middleware.AxesMiddleware"]  # axes last
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "grids.auth.UsernameOrMobileBackend"]
LOGIN_LOCKOUT_BY = env.str("LOGIN_LOCKOUT_BY", default="username")
if LOGIN_LOCKOUT_BY not in {"username", "username_ip"}:
    raise ImproperlyConfigured(f"LOGIN_LOCKOUT_BY must be username or username_ip, not {LOGIN_LOCKOUT_BY!r}")
AXES_LOCKOUT_PARAMETERS = ["username"] if LOGIN_LOCKOUT_BY == "username" else [["username", "ip_address"]]
# axes.W006 warns of any parameters without the address; per user name, failures are summed over
# every address and browser, so rotating the User-Agent does not help (grids/tests/test_auth_lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True  # a right password forgives earlier typos
AXES_USERNAME_CALLABLE = "grids.auth.lockout_username"  # a mobile number counts as its user name
AXES_LOCKOUT_CALLABLE = "grids.auth.lockout_response"  # Chinese page, JSON under /api/
# Where the client address comes from (behind nginx: HTTP_X_REAL_IP set by the proxy, then REMOTE_ADDR).
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("LOGIN_CLIENT_IP_HEADERS", default=["REMOTE_ADDR"])
TOKEN_TTL_HOURS = env.int("TOKEN_TTL_HOURS", default=12)  # an API token older than this is refused

# Maps: tiles from a configurable URL (an intranet tile server); boundaries draw without it.
# No base map unless a tile server is configured: the maps draw boundaries and markers without one,
# and a default pointing at no server would log errors on every map page.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
LEAFLET_CONFIG = {
    "TILES": [(_("Base map"), MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION, "maxZoom": 18})]
    if MAP_TILE_URL
    else [],
    "DEFAULT_CENTER": (env.float("MAP_CENTER_LAT", default=24.35), env.float("MAP_CENTER_LNG", default=106.56)),
    "DEFAULT_ZOOM": env.int("MAP_DEFAULT_ZOOM", default=9),
    "ATTRIBUTION_PREFIX": "",
    "RESET_VIEW": False,
}

# Imports: a job running longer than this is taken to be abandoned by a dead worker and requeued.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=30)
IMPORT_FILE_KEEP_DAYS = env.int("IMPORT_FILE_KEEP_DAYS", default=90)  # uploaded spreadsheets of finished imports
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=3)
# An import still pending (never started) this long after the upload is queued again.
IMPORT_PENDING_MINUTES = env.int("IMPORT_PENDING_MINUTES", default=5)

# A time given as "when it happened" (a hazard found, an incident, a phone call, a duty-log entry)
# may be this far ahead of the server's clock (a phone's clock runs fast) before it is refused.
FUTURE_TOLERANCE = timedelta(minutes=env.int("FUTURE_TOLERANCE_MINUTES", default=5))
# Patrols: a check-in farther than this from its point is recorded and shown as away from it (not
# refused); a patrol this many days after its window counts as late rather than missed; the
# compliance table's default period; a presence check's minutes to answer, from warnings of this
# level up (2: orange).
PATROL_CHECKIN_TOLERANCE_M = env.int("PATROL_CHECKIN_TOLERANCE_M", default=100)
PATROL_LATE_GRACE_DAYS = env.int("PATROL_LATE_GRACE_DAYS", default=1)
# A patrol walked with no signal counts on the phone's day of its start if it reached the server
# within this many days (else on the day it arrived).
PATROL_OFFLINE_MAX_DAYS = env.int("PATROL_OFFLINE_MAX_DAYS", default=7)
PATROL_COMPLIANCE_DAYS = env.int("PATROL_COMPLIANCE_DAYS", default=30)
PRESENCE_CHECK_MINUTES = env.int("PRESENCE_CHECK_MINUTES", default=30)
PRESENCE_CHECK_MIN_LEVEL = env.int("PRESENCE_CHECK_MIN_LEVEL", default=2)
# An unanswered roll call (点名) goes to the unit's leader after this many minutes.
ROLL_CALL_ESCALATE_MINUTES = env.int("ROLL_CALL_ESCALATE_MINUTES", default=30)
DRILL_NOTICE_DAYS = env.int("DRILL_NOTICE_DAYS", default=7)  # days before a planned drill its organiser is reminded
SUPPLIES_EXPIRY_WARN_DAYS = env.int(
    "SUPPLIES_EXPIRY_WARN_DAYS", default=30
)  # lots expiring and agreements lapsing within
SUPPLIES_MAINTENANCE_WARN_DAYS = env.int("SUPPLIES_MAINTENANCE_WARN_DAYS", default=7)  # maintenance due within
# Duty desk: a shift at a centre of this tier or below (2: townships and parks) needs both an A and
# a B post (AB岗); above it (the county) an A post is enough.
DUTY_AB_POSTS_FROM_TIER = env.int("DUTY_AB_POSTS_FROM_TIER", default=2)

# Warnings in the CAP profile of GB/T 35965.1: identifier parts after the 6-digit division code
# (DDD: sector code of GB/T 4657, UUU: sub-unit, XX: extension) and the sender name.
WARNING_CAP_SECTOR_CODE = env.str("WARNING_CAP_SECTOR_CODE", default="000")
WARNING_CAP_SUBUNIT_CODE = env.str("WARNING_CAP_SUBUNIT_CODE", default="000")
WARNING_CAP_EXTENSION = env.str("WARNING_CAP_EXTENSION", default="00")
WARNING_CAP_SENDER = env.str("WARNING_CAP_SENDER", default="")
WARNING_CAP_MAX_BYTES = env.int("WARNING_CAP_MAX_BYTES", default=256 * 1024)
# A new warning's form starts valid from now (to the minute) for this many hours.
WARNING_DEFAULT_VALID_HOURS = env.int("WARNING_DEFAULT_VALID_HOURS", default=24)

# Security: HTTPS-only cookies and HSTS in production (TLS terminated in front of gunicorn).
SESSION_COOKIE_HTTPONLY = True
if TESTING:
    # Tests run on a fixed clock (emergency/testclock.py); a browser on the real clock would drop
    # cookies whose expiry date, computed on the test clock, lies in its past.
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    CSRF_COOKIE_AGE = None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo (browsers ship the list): only when the office asks for it.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")  # preload is opt-in


def _origin(url):
    """``http://{s}.tiles.intranet:8081/{z}/{x}/{y}.png`` → ``http://*.tiles.intranet:8081``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}" if parts.scheme and parts.netloc else None


# Content-Security-Policy in every mode, so tests and development meet what production sends.
# Scripts only from our own files (no inline script, no eval, no event-handler attributes).
# Style sheets and <style> elements only from our own files too; style="" attributes are allowed
# ('unsafe-inline' in style-src-attr only) because django-mptt's tree admin indents every row of the
# grid list with one. An attribute cannot run script nor load anything outside img-src/font-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *filter(None, [_origin(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (emergency/middleware.py): the phone forms ask for the location and take photos
# (<input capture="environment">), for the site itself only; every other feature is switched off.
PERMISSIONS_POLICY = {
    feature: ["self"] if feature in {"camera", "geolocation"} else []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

VAR_DIR.mkdir(exist_ok=True)
