"""The Wagtail permission policy of grievances and complaints: per case, never the subject.

Case visibility is not partnership scoping: a lead of the case's MNVP sees nothing
unless assigned. Every answer about a case comes from
:func:`safeguarding.permissions.cases_for`, so the grievance role (global
``view_case``) sees every case, a handler (a django-guardian object permission)
their own, and the subject of a complaint none of theirs.

django-guardian answers ``has_perm("safeguarding.view_case")`` without an object with
False, so a handler who holds only object permissions would be refused at Wagtail's
model-level check of the listing; :meth:`CasePermissionPolicy.user_has_permission`
counts an object permission on any case for "view" and "change" (as
``members.permissions.PartnershipPermissionPolicy`` does for MNVPs).

Registered with ``wagtail.permissions.register_permission_policy`` before the
viewset (see safeguarding/wagtail_hooks.py and
https://docs.wagtail.org/en/stable/extending/custom_permissions.html).
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from .permissions import cases_for

OBJECT_LEVEL_ACTIONS = ("view", "change")
# Actions on one case that need a model permission as well as sight of the case.
CASE_ACTIONS = ("view", "change", "assign")


class CasePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in ("delete", "export"):
            return False  # cases are kept, and are not exported (DSLs only export, and see none)
        if super().user_has_permission(user, action):
            return True
        if action in OBJECT_LEVEL_ACTIONS and user.is_active:
            # Asked once per row by listings: remember the answer for this user object
            # (one request), as Django's backends cache permissions on it.
            cache = user.__dict__.setdefault("_case_object_level_cache", {})
            if action not in cache:
                cache[action] = cases_for(user, action).exists()
            return cache[action]
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action not in CASE_ACTIONS:
            return False
        visible = cases_for(user, "change" if action == "change" else "view").filter(pk=instance.pk)
        if action == "assign" and not super().user_has_permission(user, "assign"):
            return False
        return visible.exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if action not in CASE_ACTIONS:
            return self.model._default_manager.none()
        if action == "assign" and not super().user_has_permission(user, "assign"):
            return self.model._default_manager.none()
        return cases_for(user, "change" if action == "change" else "view")

    def instances_user_has_any_permission_for(self, user, actions):
        querysets = [self.instances_user_has_permission_for(user, a) for a in actions if a in CASE_ACTIONS]
        if not querysets:
            return self.model._default_manager.none()
        result = querysets[0]
        for queryset in querysets[1:]:
            result = result | queryset
        return result.distinct()
