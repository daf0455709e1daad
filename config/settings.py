"""Settings, all read from the environment (see .env.example).

Development needs DJANGO_DEBUG=true only (`make run` sets it): SQLite in the project folder and
a built-in key. Production sets DJANGO_SECRET_KEY (without it, and without debug, the app
refuses to start), DJANGO_ALLOWED_HOSTS and DATABASE_URL, and `manage.py check --deploy` is then
clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but the usual spellings is an error, not False."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Production sets DJANGO_SECRET_KEY. Without it the app refuses to start, unless debugging on a
# developer's machine (`make run`), where a fixed key published with the code is good enough
# (`check --deploy` flags it: it starts with "django-insecure-").
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string (for example the "
            'output of `python -c "import secrets; print(secrets.token_urlsafe(50))"`), or set '
            "DJANGO_DEBUG=true on a developer's machine to use the built-in development key."
        )
    SECRET_KEY = "django-insecure-local-development-key-not-for-production-use-0000"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "django_htmx",
    "simple_history",
    "config.apps.AxesConfig",
    "csp",
    "config.apps.CaptchaConfig",
    "core",
    "branches",
    "jobs",
    "workdays",
    "outreach",
    "issues",
    "imports",
    "notifications",
    "receipts",
    "summaries",
    "themes",
    "reports",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form sent after the session ended goes to the login page and back; forms sent by
    # script get their redirect as JSON (static/js/kept_forms.js).
    "core.kept_forms.KeptFormMiddleware",
    "workdays.middleware.CalendarPerRequestMiddleware",
    # The online opinion box's POST: refused per address and by size before any form is read.
    "receipts.middleware.BoxGuardMiddleware",
    # A NUL character or a form Django cannot parse: a 400 page in the user's language.
    "core.input_guard.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "branches.context_processors.membership",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]

# PostgreSQL in production and CI; a SQLite file when DATABASE_URL is unset, so the
# first command on a new machine needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Dashboards aggregate a million rows: JIT compiling each query costs more than it
    # saves, and hash aggregates need more than the default 4 MB to stay in memory.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "DATABASE_PG_OPTIONS", "-c jit=off -c work_mem=32MB"
    )
# A PostgreSQL streaming replica, read by heavy read-only work only (core/replica.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        # A replica that does not answer is given up quickly (the primary answers).
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), "connect_timeout": 2},
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords and login
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "core.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: its defaults lock an account forever after 3 failures. Here a username
# from one address is locked for a cool-off after a few failures, then may try again; an
# address is locked after more failures, whatever the usernames (core.login_limits).
LOGIN_FAILURES_PER_USERNAME = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_FAILURE_LIMIT = "core.login_limits.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

# Sessions live in the database (the web tier stays stateless) and end after idle time:
# core.middleware.SessionIdleTimeoutMiddleware pushes the expiry forward while in use.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_MINUTES", 120) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# "Keep me signed in on this device" at login: that browser's session lasts this many days
# from its last use (branches/login.py); 0 takes the choice away.
REMEMBER_DEVICE_DAYS = env_int("DJANGO_REMEMBER_DEVICE_DAYS", 30)

# HTTPS settings: on unless debugging; DJANGO_SECURE=false serves plain HTTP locally.
SECURE = env_bool("DJANGO_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: every script and style comes from this host, none inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files and uploads. Uploads are never served from MEDIA_URL: views check scope first.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads ("default") and the files jobs make ("jobs") live either in MEDIA_ROOT, a folder
# every web and worker machine mounts, or, with DJANGO_STORAGE_S3_BUCKET, in a bucket of an
# S3-compatible store (MinIO, the institute's own) through django-storages. Either way the
# app reads and writes them through the storage API only, and hands them out through views
# that check scope first: objects are private and never linked to (no URL is made).
STORAGE_S3_BUCKET = env("DJANGO_STORAGE_S3_BUCKET")


def s3_storage(folder: str) -> dict:
    """A private storage in the bucket ``DJANGO_STORAGE_S3_BUCKET``, keeping its objects
    under ``<DJANGO_STORAGE_S3_PREFIX>/<folder>/`` (each storage its own folder)."""
    prefix = env("DJANGO_STORAGE_S3_PREFIX").strip("/")
    style = env("DJANGO_STORAGE_S3_ADDRESSING_STYLE", "path")
    if style not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(
            f"DJANGO_STORAGE_S3_ADDRESSING_STYLE must be path, virtual or auto, got {style!r}"
        )
    # Objects are written private. A store that refuses ACL headers (an AWS bucket with
    # ACLs disabled) takes DJANGO_STORAGE_S3_ACL= (empty): no header, private by the
    # bucket's own rule. Nothing else is accepted: a public object would bypass the views.
    acl = env("DJANGO_STORAGE_S3_ACL", "private")
    if acl not in {"private", ""}:
        raise ImproperlyConfigured(f"DJANGO_STORAGE_S3_ACL must be private or empty, got {acl!r}")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("DJANGO_STORAGE_S3_BUCKET"),
            "location": f"{prefix}/{folder}" if prefix else folder,
            "endpoint_url": env("DJANGO_STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": env("DJANGO_STORAGE_S3_REGION") or None,
            "access_key": env("DJANGO_STORAGE_S3_ACCESS_KEY") or None,
            "secret_key": env("DJANGO_STORAGE_S3_SECRET_KEY") or None,
            # "path" for MinIO and most stores on the premises; "virtual" for AWS itself.
            "addressing_style": style,
            "signature_version": "s3v4",
            # A store with a certificate of the institute's own CA: the CA bundle's path.
            "verify": env("DJANGO_STORAGE_S3_CA_BUNDLE") or None,
            "default_acl": acl or None,
            # Never overwrite an object (Django's rule for storages); names are random anyway.
            "file_overwrite": False,
            # Nothing in the app asks for a URL; if something did, it would get a short-lived
            # signed one, never a public address.
            "querystring_auth": True,
            "querystring_expire": 60,
            # A file read back (a download, an import checked again) is held in memory up to
            # this size, in a temporary file beyond it.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }


STORAGES = {
    "default": (
        s3_storage("uploads")
        if STORAGE_S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    # The files jobs make (exports, Word files), removed after JOB_FILES_KEEP_HOURS.
    "jobs": (
        s3_storage("jobs")
        if STORAGE_S3_BUCKET
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT / "jobs"},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("DJANGO_STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The largest upload accepted: attachments, evidence and import spreadsheets (core.files).
OUTREACH_MAX_UPLOAD_MB = env_int("OUTREACH_MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Imports of more data rows than this (all sheets together) are checked and imported by a
# job (the task queue) instead of inside the upload's web request (imports.views).
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 300)

# Long work (jobs): the files they make, kept this many hours for the user who asked.
JOB_FILES_KEEP_HOURS = env_int("JOB_FILES_KEEP_HOURS", 24)

# The task queue (Celery). Production sets CELERY_BROKER_URL (Redis); without it every task
# runs in the process that sends it (make run, tests), so nothing more is needed there.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_IGNORE_RESULT = True
# A task is taken off the queue when it is done, not when it starts: a worker that dies
# leaves it for another (every task is safe to run twice).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
# Redis gives an unacknowledged task to another worker after this; longer than any task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# One scheduler (celery beat) for the whole deployment; its schedule is kept in the
# database (django-celery-beat), seeded from this and editable in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "notifications.send_reminders",
        "schedule": crontab(minute=5),
    },
    "remove-expired-job-files": {
        "task": "jobs.remove_expired",
        "schedule": crontab(minute=35),
    },
    "remove-expired-challenges": {
        "task": "receipts.remove_expired_challenges",
        "schedule": crontab(minute=50),
    },
    "compact-summaries": {
        "task": "summaries.compact",
        "schedule": crontab(minute="*/10"),
    },
    "search-recurring-problems": {
        "task": "themes.search",
        "schedule": crontab(hour=2, minute=40),
    },
    "clear-submission-receipts": {
        "task": "core.clear_submission_receipts",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Email
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "outreach@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open the app at, for the links in notification emails (without it
# the emails carry the path only).
OUTREACH_SITE_URL = env("OUTREACH_SITE_URL")

# Receipts (回执) and the enterprise's page: a receipt's code stops working this many days
# after the last of its opinions was answered (never while one waits for an answer).
RECEIPT_DAYS_AFTER_LAST_ANSWER = env_int("RECEIPT_DAYS_AFTER_LAST_ANSWER", 90)
# Lookups of a code per client address and minute; more get a "too many requests" page.
RECEIPT_LOOKUPS_PER_MINUTE = env_int("RECEIPT_LOOKUPS_PER_MINUTE", 20)
# The online opinion box (意见箱): opinions sent per client address and hour, challenge
# pictures drawn per address and minute (the box page, its picture and "another one"),
# and the largest form accepted (bytes; a 2,000-character opinion is about 6 kB in UTF-8).
RECEIPT_BOX_SUBMISSIONS_PER_HOUR = env_int("RECEIPT_BOX_SUBMISSIONS_PER_HOUR", 5)
# And per branch, from all addresses together: past this, the branch's box waits an hour.
RECEIPT_BOX_PER_BRANCH_PER_HOUR = env_int("RECEIPT_BOX_PER_BRANCH_PER_HOUR", 60)
RECEIPT_BOX_CAPTCHAS_PER_MINUTE = env_int("RECEIPT_BOX_CAPTCHAS_PER_MINUTE", 30)
RECEIPT_BOX_MAX_BODY = env_int("RECEIPT_BOX_MAX_BODY", 20 * 1024)
# The enterprise's ratings: at most this many ratings of one opinion in 24 hours (through
# its receipt's page; more are refused, nothing recorded), and the largest rating form
# accepted (bytes; a browser sends a 1,000-character Chinese comment percent-encoded, 9 kB).
RECEIPT_RATINGS_PER_OPINION_PER_DAY = env_int("RECEIPT_RATINGS_PER_OPINION_PER_DAY", 5)
RECEIPT_RATING_MAX_BODY = env_int("RECEIPT_RATING_MAX_BODY", 12 * 1024)
# The box's challenge (django-simple-captcha), drawn here with the package's own font: a sum,
# difference or product of two numbers up to 10. A number is typed on a phone's number pad,
# with no letters to mistake (0/O, 1/l) and no case, by people who may not read the Latin
# alphabet easily. It keeps out scripts that post blindly; the limits above do the rest.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LETTER_ROTATION = (-20, 20)
# Lines across the picture, no speckles: readable by older eyes on a small screen.
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_arcs",)
# Minutes a challenge stays good: long enough to write an opinion on a phone.
CAPTCHA_TIMEOUT = 30
CAPTCHA_2X_IMAGE = False

# Caches: the default one is per process; the lookup counters (django-ratelimit) live in a
# table every worker shares (created by receipts/migrations/0002). A table's increment is
# read-then-write, so a burst of simultaneous lookups may be undercounted by a few: the
# limit slows guessing, the codes' 140 secret bits are what make it hopeless.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "receipts_ratelimit_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
RATELIMIT_USE_CACHE = "ratelimit"

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}
