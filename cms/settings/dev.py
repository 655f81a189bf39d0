"""Local development: the embedded default (SQLite, eager Celery, console email)."""

import os

from cms.encryption import dev_key_from_secret

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [dev_key_from_secret(SECRET_KEY)]  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
