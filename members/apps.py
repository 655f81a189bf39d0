from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Partnerships and people"

    def ready(self):
        from . import compliance_cache, funnel_cache, stays
        from .roles import sync_role_groups_after_migrate

        compliance_cache.connect()
        funnel_cache.connect()
        stays.connect()

        # Groups and their model permissions are code, kept in step with every migrate
        # (permissions themselves are only created by post_migrate, so a data migration
        # could not see them on a fresh database).
        post_migrate.connect(sync_role_groups_after_migrate, sender=self)
