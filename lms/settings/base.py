"""Settings shared by every environment. Values come from the environment."""

import os
from pathlib import Path

import django.conf.locale
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _

from . import environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ENV = os.environ
# Typed values through django-environ; plain strings straight from ENV.
env = environment.Env(ENV)
# Local state that must survive restarts but never enter the repository: the
# SQLite file, the development secret key, certificate signing keys.
VAR_DIR = Path(ENV.get("LMS_VAR_DIR", BASE_DIR / "var"))

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = ENV.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "lms.accounts",
    "lms.home",
    "lms.backups",
    "lms.background",
    "languages",
    "courses",
    "certificates",
    "cohorts",
    "awards",
    "reporting",
    "events",
    "content",
    "offline",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files under runserver too, with the same headers
    # as in production (the H5P player's fonts need Access-Control-Allow-Origin).
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or the CSRF check reads a body (see lms.request_limits).
    "lms.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "lms.middleware.PersonalPagesMiddleware",
    "lms.middleware.RedirectMiddleware",
    # Axes must come last so it sees every failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = environment.databases(ENV, VAR_DIR / "db.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "lms.accounts.validators.NotSimilarToAccountValidator"},
    {
        "NAME": "lms.accounts.validators.LongEnoughValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "lms.accounts.validators.NotCommonValidator"},
    {"NAME": "lms.accounts.validators.NotOnlyDigitsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "courses:dashboard"
LOGOUT_REDIRECT_URL = "/"

# Login guessing: lock an account+address pair after repeated failures, and an
# address alone after more failures across any accounts (lms.accounts.lockout).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "lms.accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Languages. The interface speaks English and Urdu; content may also be written in
# Sindhi, Pashto and Punjabi (Shahmukhi). The URL decides the language (English
# unprefixed, the others under /ur/, /sd/, /ps/, /pnb/). Sindhi, Pashto and Punjabi
# pages show the Urdu interface until they have catalogues of their own: the
# compile_translations command writes the Urdu messages into their .mo files.
LANGUAGE_CODE = "en"
INTERFACE_LANGUAGES = [
    ("en", _("English")),
    ("ur", _("Urdu")),
]
LANGUAGES = [
    *INTERFACE_LANGUAGES,
    ("sd", _("Sindhi")),
    ("ps", _("Pashto")),
    ("pnb", _("Punjabi (Shahmukhi)")),
]
# Languages without a catalogue of their own, and the catalogue they borrow.
INTERFACE_FALLBACK_LANGUAGES = {"sd": "ur", "ps": "ur", "pnb": "ur"}
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "sd", "ps", "pnb"]
# Django knows Urdu but not these three, and its "pa" is Punjabi in Gurmukhi.
# Extending LANG_INFO is Django's documented way to add a language, so that
# get_language_info() and the {% get_language_info %} tag can name them.
django.conf.locale.LANG_INFO.update(
    {
        "sd": {"bidi": True, "code": "sd", "name": "Sindhi", "name_local": "سنڌي"},
        "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
        "pnb": {
            "bidi": True,
            "code": "pnb",
            "name": "Punjabi (Shahmukhi)",
            "name_local": "پنجابی",
        },
    }
)
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
USE_I18N = True
TIME_ZONE = ENV.get("TIME_ZONE", "Asia/Karachi")
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "Alliance Learning"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp"}
# Documents always pass through our view (never a redirect to the storage) and are
# always downloads: a trainer's .html, .svg or .pdf never runs as a page of the
# site (lms/uploads.py adds a sandbox policy; runserver's /media/ does the same).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILEMBEDS_RESPONSIVE_HTML = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(ENV.get("STATIC_ROOT", BASE_DIR / "static_collected"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "lms" / "static",
    ("fonts/noto-nastaliq-urdu", NODE_MODULES / "@fontsource/noto-nastaliq-urdu/files"),
    ("fonts/noto-naskh-arabic", NODE_MODULES / "@fontsource/noto-naskh-arabic/files"),
    # The H5P player (h5p-standalone's built bundle, styles and fonts).
    ("h5p-standalone", NODE_MODULES / "h5p-standalone/dist"),
]
# Static files are public; "*" lets the H5P player's opaque origin load its fonts
# (WhiteNoise's default, stated because the player depends on it).
WHITENOISE_ALLOW_ALL_ORIGINS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = environment.storages(ENV)
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Request bodies, refused from their Content-Length before anything reads them
# (lms.request_limits): learner forms and JSON are small; the PDF check takes a
# certificate PDF; staff upload H5P activities, course packages and question
# banks in the admin, each then held to its own limits.
_MIB = 1024 * 1024
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_KB", default=256) * 1024
REQUEST_BODY_LIMITS = [
    (r"^/admin/", env.int("STAFF_UPLOAD_MAX_MB", default=1024) * _MIB),
    (r"^/(?:[a-z]{2,3}/)?verify/$", 11 * _MIB),  # one PDF of at most 10 MB
    (r"^/(?:[a-z]{2,3}/)?awards/[^/]+/consent/$", 2 * 1024),  # one switch
]

CACHES = environment.caches(ENV)

for _name, _value in environment.email(ENV).items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = ENV.get(
    "DEFAULT_FROM_EMAIL", "Alliance Learning <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the accessibility statement asks people to report a barrier (empty: it
# asks them to tell their trainer or coordinator instead).
ACCESSIBILITY_CONTACT_EMAIL = ENV.get("ACCESSIBILITY_CONTACT_EMAIL", "")

TASKS = {
    "default": {
        "BACKEND": ENV.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task that fails for a passing reason is tried again after 1, 2, 4 … times
# this many seconds (at most the second figure apart); a worker not heard from
# for three heartbeats is taken for dead and its task runs again.
TASK_RETRY_BASE_SECONDS = env.int("TASK_RETRY_BASE_SECONDS", default=30)
TASK_RETRY_MAX_SECONDS = env.int("TASK_RETRY_MAX_SECONDS", default=3600)
TASK_WORKER_HEARTBEAT_SECONDS = env.int("TASK_WORKER_HEARTBEAT_SECONDS", default=10)
# Periodic tasks, queued by `manage.py run_schedule` (lms/background/schedule.py):
# `every` N minutes from midnight, or `daily_at` "HH:MM" in TIME_ZONE.
TASK_SCHEDULE = [
    {
        "name": "dashboard refresh",
        "task": "reporting.summaries.refresh_dashboard_summaries",
        "every": env.int("DASHBOARD_REFRESH_MINUTES", default=10),
    },
    {
        "name": "dashboard full refresh",
        "task": "reporting.summaries.refresh_dashboard_summaries",
        "daily_at": "02:30",
        "kwargs": {"full": True},
    },
    {
        "name": "cohort reminders",
        "task": "cohorts.messages.send_due_reminders",
        "daily_at": ENV.get("COHORT_REMINDERS_AT", "09:00"),
    },
    {
        # Certificates earned by attendance soon after a session ends, and
        # the "what is missing" e-mails once an event's last one has.
        "name": "event certificates",
        "task": "events.attendance.awards.award_certificates_after_sessions",
        "every": env.int("EVENT_CERTIFICATES_MINUTES", default=10),
    },
    {
        "name": "event session reminders",
        "task": "events.messages.send_session_reminders",
        "daily_at": ENV.get("EVENT_REMINDERS_AT", "10:00"),
    },
]

SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) for every page of the site: scripts and
# styles only from our own static files, never inline, never eval. Uploaded media
# may come from the S3 store's address; embedded videos from the named players.
# The H5P player and uploaded files set stricter, sandboxed policies of their own,
# which the middleware leaves alone. The Wagtail admin has a policy of its own, below.
CSP_MEDIA_SOURCES = environment.media_origins(ENV)
CSP_EMBED_SOURCES = env.list(
    "CSP_EMBED_SOURCES",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *CSP_MEDIA_SOURCES],
        "media-src": ["'self'", *CSP_MEDIA_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *CSP_EMBED_SOURCES],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The Wagtail admin (8.0) still writes inline scripts for its date and time
# choosers (``initDateChooser(...)`` beside each field, different on every form), so
# no hash or nonce can cover them, and its page editor's scripts insert inline
# styles: the admin alone may use inline scripts and styles (checked in Chromium,
# tests/browser/test_security_headers.py). Everything else stays as strict as the
# site: no eval, nothing loaded from elsewhere, no plugins, forms post only here.
# Its preview panel frames admin pages, hence frame-ancestors 'self'.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'self'"],
    },
}
# The admin loads nothing from other sites: no avatars from Gravatar (it would
# tell Gravatar who uses the admin), no release check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
    },
}

# Certificates: Ed25519 signing keys live outside the repository and the media
# folder; the directory is created, and a first key generated, on first use.
CERTIFICATE_KEY_DIR = Path(ENV.get("CERTIFICATE_KEY_DIR", VAR_DIR / "certificate-keys"))
# Optional PAdES signature on the PDFs: a PKCS#12 file with key and X.509 chain.
CERTIFICATE_PADES_PKCS12 = ENV.get("CERTIFICATE_PADES_PKCS12", "")
CERTIFICATE_PADES_PASSPHRASE = ENV.get("CERTIFICATE_PADES_PASSPHRASE", "")
# Public verification: lookups of unknown codes per client before it must wait
# (known codes are never refused, so a burst of employers is served).
VERIFY_MISS_LIMIT = env.int("VERIFY_MISS_LIMIT", default=20)
VERIFY_MISS_WINDOW_SECONDS = env.int("VERIFY_MISS_WINDOW", default=600)
# With Redis, look-up counts wait there and are written at most this often.
VERIFY_COUNT_FLUSH_SECONDS = env.int("VERIFY_COUNT_FLUSH_SECONDS", default=10)
# How many reverse proxies sit in front of the app (to find the client address).
CLIENT_IP_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT
# Learner writes (xAPI statements, quiz saves and submissions, enrolment,
# registration, password reset, the PDF check): per learner and per address.
RATE_LIMITS = environment.rate_limits(ENV)
# Web processes, as gunicorn reads it; with a local-memory cache, production
# must say it runs one (lms.checks), or limits would be counted per process.
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", default=0)
