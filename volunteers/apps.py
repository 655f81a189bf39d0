from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    """The volunteer's own area on the public site: signed in by emailed link, own record only."""

    name = "volunteers"
    default_auto_field = "django.db.models.BigAutoField"
