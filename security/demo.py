"""Demo authenticator devices: every demo login that must use two factors gets one fixed key.

The key is public (README): it protects nothing, it only lets people try the demo.
``manage.py demo_otp_code <username>`` prints the current code; an authenticator app
can take the key as well (base32 ``NVXHM4BNMRSW23ZNORXXI4BNGIYDENRB``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .policy import requires_two_factor

DEMO_TOTP_KEY = "6d6e76702d64656d6f2d746f74702d3230323621"  # hex of b"mnvp-demo-totp-2026!"
DEMO_TOTP_KEY_BASE32 = "NVXHM4BNMRSW23ZNORXXI4BNGIYDENRB"
DEMO_DEVICE_NAME = "Demo authenticator"


def is_demo_device(device: TOTPDevice) -> bool:
    return device.key.lower() == DEMO_TOTP_KEY


@transaction.atomic
def seed_demo_devices(users: Iterable) -> list:
    """Give each user who must use two factors the demo device (and no other app device)."""
    seeded = []
    for user in users:
        if not requires_two_factor(user):
            continue
        TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
        TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True, "last_t": -1, "throttling_failure_count": 0},
        )
        seeded.append(user)
    return seeded
