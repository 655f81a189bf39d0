"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the
environment here or overridden in ``dev``, ``test`` or ``production``.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies we run in front of Django (each appends to X-Forwarded-For).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# Public forms sent sooner than this after they were shown are taken for a bot (cms/antispam.py).
ANTISPAM_MIN_FILL_SECONDS = 3

INSTALLED_APPS = [
    # Ours first, so our templates win over the libraries'.
    "cms",
    "members",
    "workplans",
    "safeguarding",
    "home",
    "security",
    "privacy",
    "volunteers",
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
    "django_filters",
    "guardian",
    # Two-factor sign-in to the admin (security/): TOTP apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Login throttling keyed on username and IP together (security/throttling.py).
    "axes",
    "import_export",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # No django.contrib.admin: the Wagtail admin is the only admin (STYLE.md, point 6).
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.TwoFactorMiddleware",
    "security.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "security.middleware.SameOriginFramingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.HostOnlyAdminViewsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the ordinary login page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write at once in a sign-up spike: each transaction takes the write
    # lock when it starts and waits up to 20 s for it, instead of failing with "database is
    # locked" when two try to upgrade a read lock (found by manage.py loadtest). WAL lets reads
    # go on during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify, and are upgraded to Argon2 at the next sign-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Sessions (security/middleware.py): signed out after this long idle, and this long in all.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(10 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT  # "Remember me" never outlives the absolute limit

# Two-factor sign-in (django-otp): the name shown in authenticator apps.
OTP_TOTP_ISSUER = "MNVP host"

# Login throttling (django-axes): five wrong passwords for one username from one address
# lock that pair for 15 minutes; a user signing in from elsewhere is not locked out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.throttling.client_ip"
# A locked-out attempt answers exactly as a wrong password does: no hint that the name exists.
AXES_LOCKOUT_CALLABLE = "security.throttling.lockout_response"
AXES_VERBOSE = False

# Content Security Policy (django-csp): everything from our own origin; no plugins, no
# <base>, no framing, forms post only to us. Wagtail's admin sets some styles inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# django-guardian: no anonymous user row. Nobody outside the admin holds object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Encryption at rest of case narratives (cms/encryption.py): Fernet keys, newest first.
# Development and tests derive one from SECRET_KEY; production requires real keys.
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in os.environ.get("FIELD_ENCRYPTION_KEYS", "").split(",") if key.strip()
]

# Certificates and other confidential uploads live outside MEDIA_ROOT, so no URL serves
# them: only views that check who is asking hand them out.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The cache holds rate-limit counters: Redis where configured, so all gunicorn workers share them.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MNVP host <no-reply@localhost>")

# Celery: eager by default so nothing needs a broker to try the product; a broker URL
# in the environment turns on real workers.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "cms.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 24,
    },
    "purge-old-import-jobs": {
        "task": "members.tasks.purge_old_import_jobs",
        "schedule": 60 * 60 * 24,
    },
    # Compliance report exports not downloaded are deleted a day after they were made.
    "purge-old-compliance-exports": {
        "task": "members.tasks.purge_old_compliance_exports",
        "schedule": 60 * 60,
    },
    # Volunteer sign-in links are no use a day after they expire.
    "purge-volunteer-sign-in-links": {
        "task": "volunteers.tasks.purge_sign_in_links",
        "schedule": 60 * 60 * 24,
    },
    # DBS certificate details are kept no longer than six months after the decision.
    "erase-old-dbs-certificate-details": {
        "task": "members.tasks.erase_old_dbs_certificate_details",
        "schedule": 60 * 60 * 24,
    },
    # Training and DBS reminders: a daily sweep over what is due and not yet sent.
    "sweep-compliance-reminders": {
        "task": "members.tasks.sweep_compliance_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "send-compliance-digest": {
        "task": "members.tasks.send_compliance_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    # Milestone owners: a week before a milestone is due, and once it is overdue.
    "sweep-milestone-reminders": {
        "task": "workplans.tasks.sweep_milestone_reminders",
        "schedule": crontab(hour=6, minute=45),
    },
    # Expense claims unpaid past FinanceSettings.unpaid_alert_days: host staff alerted once per claim.
    "sweep-unpaid-claims": {
        "task": "workplans.tasks.sweep_unpaid_claims",
        "schedule": crontab(hour=7, minute=15),
    },
    # Leads' IR35 determinations over a year old: host staff reminded once per determination date.
    "sweep-ir35-reminders": {
        "task": "workplans.tasks.sweep_ir35_reminders",
        "schedule": crontab(hour=7, minute=25),
    },
    # Safeguarding concerns not acknowledged in time alert the DSLs (each alert sent once).
    "sweep-concern-alerts": {
        "task": "safeguarding.tasks.sweep_concern_alerts",
        "schedule": 60 * 5,
    },
    # Grievance and complaint deadlines: a warning before, an alert after (each sent once).
    "sweep-case-deadlines": {
        "task": "safeguarding.tasks.sweep_case_deadlines",
        "schedule": crontab(minute=15),
    },
    # Retention: anonymise or delete what is past its time (privacy/registry.py); each run recorded.
    "apply-retention-policies": {
        "task": "privacy.tasks.apply_retention_policies",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "MNVP host"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every uploaded document is checked by content too, as every other upload (cms/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.document_forms.CheckedDocumentForm"
# Every document download goes through Wagtail's view, which checks collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Shared-password page privacy stores the password in plain text: off.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # nothing is fetched from outside at run time

IMPORT_EXPORT_SKIP_ADMIN_LOG = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per background task and per page action is noise on a console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
