"""Who must sign in with a second factor: one function, derived from permissions.

An account must use two-factor authentication when it can reach safeguarding concerns,
grievance and complaint cases, DBS checks or payment data (paying involvement payments
or claims, the payroll export), whether through a model permission (its groups or its
own) or a django-guardian object permission on one such record (a case handler).
Superusers always must. Everyone else (MNVP leads, commissioners) may enrol.

Seeing their own MNVP's involvement payments (``view_involvementpayment``, held by
leads) is deliberately not on the list: paying, changing and exporting them is.
"""

from __future__ import annotations

from django.db.models import Q

# Model permissions ("app_label.codename") that reach sensitive records.
SENSITIVE_PERMISSIONS: frozenset[str] = frozenset(
    {
        # Safeguarding concerns and allegations.
        "safeguarding.view_concern",
        "safeguarding.change_concern",
        "safeguarding.export_concern",
        # Grievances and complaints.
        "safeguarding.view_case",
        "safeguarding.change_case",
        "safeguarding.assign_case",
        # DBS checks.
        "members.view_dbscheck",
        "members.change_dbscheck",
        "members.add_dbscheck",
        "members.delete_dbscheck",
        "members.view_dbs_certificate_number",
        # Payment data: paying claims and involvement payments, the payroll export.
        "workplans.pay_expenseclaim",
        "workplans.export_expenseclaim",
        "workplans.add_involvementpayment",
        "workplans.change_involvementpayment",
        "workplans.delete_involvementpayment",
        "workplans.pay_involvementpayment",
        "workplans.export_involvementpayment",
    }
)


def _object_permission_query() -> Q:
    query = Q()
    for name in SENSITIVE_PERMISSIONS:
        app_label, codename = name.split(".")
        query |= Q(permission__content_type__app_label=app_label, permission__codename=codename)
    return query


def holds_sensitive_object_permission(user) -> bool:
    """True when a django-guardian object permission (the user's or a group's) reaches a sensitive record."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    query = _object_permission_query()
    return (
        UserObjectPermission.objects.filter(query, user=user).exists()
        or GroupObjectPermission.objects.filter(query, group__user=user).exists()
    )


def requires_two_factor(user) -> bool:
    """Whether ``user`` must pass a second factor before any admin page (see module docstring)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.get_all_permissions() & SENSITIVE_PERMISSIONS:
        return True
    return holds_sensitive_object_permission(user)
