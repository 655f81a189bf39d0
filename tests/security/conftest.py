import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import devices

PASSWORD = "correct-horse-battery"  # UserFactory's


@pytest.fixture
def totp_device():
    """``totp_device(user)``: a confirmed authenticator-app device."""

    def make(user):
        return TOTPDevice.objects.create(user=user, name=devices.TOTP_DEVICE_NAME, confirmed=True)

    return make


def password_login(client, username, password=PASSWORD, **extra):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def code_for(device) -> str:
    device.refresh_from_db()
    return devices.current_code(device)
