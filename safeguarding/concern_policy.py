"""The Wagtail permission policy of safeguarding concerns: DSLs only, for every view.

Wagtail's listing and inspect views let in anyone holding *any* of add, change,
delete or view on the model. Every login may report a concern (``add_concern``),
so that default would open the DSLs' listing to leads, host staff and case
handlers. This policy answers for reading and changing from
:func:`safeguarding.permissions.concerns_for` alone; the concern views also ask
for "view" explicitly rather than "any".

Registered with ``register_permission_policy`` before the viewset (wagtail_hooks).
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from .permissions import concerns_for

DSL_ACTIONS = ("view", "change", "export")


class ConcernPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            return False  # concerns are kept; nobody deletes one through the admin
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action not in ("view", "change") or not self.user_has_permission(user, action):
            return False
        return concerns_for(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if action not in ("view", "change") or not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return concerns_for(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if any(action in ("view", "change") for action in actions):
            return self.instances_user_has_permission_for(user, "view")
        return self.model._default_manager.none()
