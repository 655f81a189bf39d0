"""The Wagtail permission policy for every record that belongs to an MNVP.

Model permissions (groups) say what *kind* of record a role may act on; the
partnership scope (:mod:`members.scoping`) says *which* ones. Register it for a
model with :func:`register_scoped_policy` before its viewset is registered.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .scoping import ALL, permitted_partnership_ids, scope_queryset, user_can


class PartnershipScopedPermissionPolicy(ModelPermissionPolicy):
    """Model-level permission *and* the record's MNVP in the user's scope."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and user_can(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return scope_queryset(self.model._default_manager.all(), user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        querysets = [self.instances_user_has_permission_for(user, action) for action in actions]
        result = querysets[0]
        for queryset in querysets[1:]:
            result = result | queryset
        return result.distinct()


class PartnershipPermissionPolicy(PartnershipScopedPermissionPolicy):
    """For ``Partnership`` itself: an object permission on any MNVP counts at model level.

    django-guardian answers ``has_perm`` without an object with False, so a lead
    who holds ``change_partnership`` only on their own MNVP would be turned away
    from the listing by a plain model-level check. Adding and deleting MNVPs stays
    with global (host staff) permissions.
    """

    object_level_actions = ("view", "change")

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        if action in self.object_level_actions and user.is_active:
            ids = permitted_partnership_ids(user, action)
            return ids is ALL or bool(ids)
        return False

    def users_with_any_permission(self, actions):
        # Used by Wagtail for notifications and choosers of users; include object holders.
        from guardian.models import UserObjectPermission

        users = super().users_with_any_permission(actions)
        codenames = [f"{a}_partnership" for a in actions if a in self.object_level_actions]
        holders = UserObjectPermission.objects.filter(
            permission__codename__in=codenames, content_type__app_label="members"
        ).values("user_id")
        return (users | get_user_model().objects.filter(pk__in=holders, is_active=True)).distinct()


def register_scoped_policy(model, policy_class=PartnershipScopedPermissionPolicy):
    policy = policy_class(model)
    register_permission_policy(model, policy)
    return policy


def spreadsheet_permission(model, action: str) -> str | None:
    """``members.export_person`` and the like, where the model declares one; else None.

    Import and export are permissions of their own: seeing a list on screen is not
    the same as carrying it away in a file.
    """
    codename = f"{action}_{model._meta.model_name}"
    if any(declared == codename for declared, _ in model._meta.permissions):
        return f"{model._meta.app_label}.{codename}"
    return None


def user_may_export(user, model) -> bool:
    """Exports need the model's export permission where it declares one (the rows stay scoped)."""
    permission = spreadsheet_permission(model, "export")
    return permission is None or user.has_perm(permission)


def user_may_import(user, model) -> bool:
    """Imports need the model's import permission. People arrive without an MNVP, so only
    someone who may change every MNVP imports them; others import memberships of theirs."""
    permission = spreadsheet_permission(model, "import")
    if permission is None or not user.has_perm(permission):
        return False
    scope = permitted_partnership_ids(user, "change")
    if model._meta.model_name == "person":
        return scope is ALL
    return scope is ALL or bool(scope)
