from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "MNVP host"

    def ready(self):
        from . import field_display, object_permissions, spreadsheets

        field_display.register_field_displays()
        object_permissions.connect()
        spreadsheets.protect_wagtail_exports()
