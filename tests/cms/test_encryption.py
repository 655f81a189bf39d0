"""Encryption at rest: tokens only in the column, readable with any listed key, rotatable."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from cms.encryption import TOKEN_PREFIX, decrypt, encrypt, rotate


def test_text_round_trips_and_the_token_holds_no_plain_text():
    token = encrypt("She said her partner hurts her")
    assert token.startswith(TOKEN_PREFIX)
    assert "partner" not in token
    assert decrypt(token) == "She said her partner hurts her"


def test_rotation_reads_old_tokens_and_writes_with_the_new_key(settings):
    old_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    token = encrypt("a disclosure")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert decrypt(token) == "a disclosure"
    rotated = rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypt(rotated) == "a disclosure"
    with pytest.raises(ImproperlyConfigured, match="dropped too soon"):
        decrypt(token)


def test_no_keys_refuses_to_store_anything(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        encrypt("anything")
