from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Retention, erasure and subject access: what is kept about a person, and for how long."""

    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers privacy.E001)
