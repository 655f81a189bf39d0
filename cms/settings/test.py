"""The test suite: fast hashing, eager Celery, mail kept in memory.

DATABASE_URL still picks the database, so CI runs the same suite on PostgreSQL.
"""

from cms.encryption import dev_key_from_secret

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
FIELD_ENCRYPTION_KEYS = [dev_key_from_secret(SECRET_KEY)]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PRIVATE_MEDIA_ROOT = BASE_DIR / "test-results" / "private-media"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "test-results" / "media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
