from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    """Safeguarding concerns, grievances and the access audit (issue 5 builds them)."""

    name = "safeguarding"
