"""Second-factor devices: enrolment, recovery codes and checking a code.

Built on django-otp: a TOTP device (an authenticator app) and a static device whose
tokens are single-use recovery codes. django-otp throttles failed attempts per device
(each failure doubles the wait, ``OTP_TOTP_THROTTLE_FACTOR`` / ``OTP_STATIC_THROTTLE_FACTOR``).

Recovery codes are shown once and kept only as a keyed hash (:func:`stored_form`): django-otp
would keep them as typed, so anyone who could read the table could sign in with them.
"""

from __future__ import annotations

import base64
import re
import time

import segno
from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_PATTERN = re.compile(r"^\d{6}$")


class Throttled(Exception):
    """Too many wrong codes in a row: the device refuses to check another one yet."""


def normalise_code(code: str) -> str:
    """What people type: spaces and hyphens dropped, recovery codes in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


RECOVERY_CODE_SALT = "security.devices.recovery-code"


def stored_form(code: str, secret: str | None = None) -> str:
    """What is kept of a recovery code: an HMAC-SHA256 under the site's secret key, cut to the
    16 characters django-otp's token column holds (64 bits, for a key the attacker does not have).
    ``secret`` defaults to SECRET_KEY; codes made before a key rotation still work while the old
    key is in SECRET_KEY_FALLBACKS."""
    return salted_hmac(
        RECOVERY_CODE_SALT, normalise_code(code), secret=secret, algorithm="sha256"
    ).hexdigest()[:16]


def _stored_forms(code: str) -> list[str]:
    return [stored_form(code, key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).exists()
    )


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled; the same one until confirmed, so the QR code stays put."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def current_code(device: TOTPDevice) -> str:
    """The code the device's app shows now (for the demo command and browser tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in (RFC 4648 base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no image request, no inline script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


@transaction.atomic
def confirm_enrolment(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with a code from the app; returns the new recovery codes, or None if wrong.

    The confirmed device replaces any earlier one, and the recovery codes are new.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise Throttled
    if not device.verify_token(normalise_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return regenerate_recovery_codes(user)


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    """Ten new single-use recovery codes; every earlier one stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=stored_form(code)) for code in codes)
    return codes


def unused_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_second_factor(user, code: str):
    """The device that accepts ``code`` (an app's six digits or a recovery code), or None.

    A recovery code is used up by its first success. Raises :class:`Throttled` while the
    device that would check the code is waiting after failed attempts.
    """
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if TOTP_PATTERN.match(code) else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"))
        if devices and not any(device.verify_is_allowed()[0] for device in devices):
            raise Throttled
        for device in devices:
            if device.verify_is_allowed()[0] and device.verify_token(_as_stored(device, code)):
                return device
    return None


def _as_stored(device, code: str) -> str:
    """The code as ``device`` keeps it: as typed for an app, hashed for a recovery code (under the
    current key, or an old one that made a code still unused)."""
    if not isinstance(device, StaticDevice):
        return code
    candidates = _stored_forms(code)
    kept = device.token_set.filter(token__in=candidates).values_list("token", flat=True).first()
    return kept or candidates[0]
