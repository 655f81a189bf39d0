from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Admin sign-in: two-factor verification, session lifetime, login throttling."""

    name = "security"
    default_auto_field = "django.db.models.BigAutoField"
