"""The Wagtail permission policy of risk assessments: host-wide for host staff and DSLs.

The MNVP-scoped policy of :mod:`members.permissions` would confine a DSL (who
changes no MNVP) to none; here, holding ``change_riskassessment`` as a role reaches
every MNVP's assessments, and everyone else (leads) their own MNVPs' only
(:func:`safeguarding.permissions.risk_assessments_for`).

Registered with ``register_permission_policy`` before the viewset (wagtail_hooks).
"""

from __future__ import annotations

from members.permissions import PartnershipScopedPermissionPolicy

from .permissions import risk_assessments_for


class RiskAssessmentPermissionPolicy(PartnershipScopedPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return risk_assessments_for(user, action).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return risk_assessments_for(user, action)
