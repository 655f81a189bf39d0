"""Encryption at rest for the most sensitive text (safeguarding and case narratives).

:class:`EncryptedTextField` stores Fernet tokens (AES-128-CBC with HMAC-SHA256, from
the ``cryptography`` package), so a copy of the database alone does not reveal the
text. Keys come from the environment, newest first::

    FIELD_ENCRYPTION_KEYS="<new key>,<old key>"

Values are encrypted with the first key and read with any of them, so rotation is:
put a new key first, run ``manage.py rotate_encryption_keys`` (re-encrypts every
value with the new key), then drop the old key. Make a key with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``.

Encrypted columns cannot be searched or sorted by the database; that is the point.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "fernet:"


def dev_key_from_secret(secret: str) -> str:
    """A stable key for development and tests only (production settings refuse it)."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"field-encryption:{secret}".encode()).digest()).decode()


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: sensitive text cannot be stored.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        message = f"FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key: {error}"
        raise ImproperlyConfigured(message) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return TOKEN_PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(TOKEN_PREFIX):
        raise ValueError("An encrypted column holds text that is not an encryption token.")
    try:
        return fernet().decrypt(stored[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "Encrypted text cannot be read with any key in FIELD_ENCRYPTION_KEYS: was a key dropped too soon?"
        ) from None


def rotate(stored: str) -> str:
    """The same text, encrypted again with the newest key."""
    return TOKEN_PREFIX + fernet().rotate(stored[len(TOKEN_PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A TextField whose column holds only ciphertext; Python code sees plain text."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_internal_type(self):
        return "TextField"
