"""Production settings refuse to start half-configured and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-" + "q" * 20
FERNET_KEY = "u3TGn9p0y8rWJ5yF6v0mC1o8kq2yq2m3p9p6Q1f4WcM="
GOOD = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "mnvp.example.org",
    "FIELD_ENCRYPTION_KEYS": FERNET_KEY,
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in GOOD}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({**GOOD, "SECRET_KEY": ""}, "SECRET_KEY"),
        ({**GOOD, "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({**GOOD, "SECRET_KEY": "django-insecure-" + "x" * 50}, "SECRET_KEY"),
        ({**GOOD, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({**GOOD, "FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS"),
        ({**GOOD, "CACHE_URL": ""}, "CACHE_URL"),
    ],
)
def test_production_refuses_to_start_without_real_secrets(env, complaint):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_passes_deploy_checks_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
