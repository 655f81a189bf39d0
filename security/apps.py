from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Admin sign-in: two-factor verification, session lifetime, login throttling."""

    name = "security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import csp_widgets
        from .sessions import start_session_clock

        csp_widgets.install()

        user_logged_in.connect(start_session_clock, dispatch_uid="security_start_session_clock")
