from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "MNVP host"

    def ready(self):
        from . import object_permissions, spreadsheets

        object_permissions.connect()
        spreadsheets.protect_wagtail_exports()
