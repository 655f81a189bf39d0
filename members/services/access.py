"""Writes that change who may reach which MNVP. Each one is atomic and audited."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm
from wagtail.log_actions import log

from ..models import Partnership, PartnershipAccess, User
from ..roles import PARTNERSHIP_OBJECT_PERMISSIONS, group_name
from ..scoping import forget_cached_scope


@transaction.atomic
def grant_partnership_access(
    *, user: User, partnership: Partnership, role: str, acting_user: User | None = None
) -> PartnershipAccess:
    """Give ``user`` ``role`` (lead or commissioner) for ``partnership``.

    Adds the user to the role's group and grants the role's object permissions
    on the partnership. Granting what is already held changes nothing.
    """
    access = PartnershipAccess.objects.filter(user=user, partnership=partnership, role=role).first()
    if access is None:
        access = PartnershipAccess(user=user, partnership=partnership, role=role, granted_by=acting_user)
        access.full_clean()
        access.save()
        log(access, "wagtail.create", user=acting_user)
    sync_partnership_permissions(user)
    return access


@transaction.atomic
def revoke_partnership_access(*, access: PartnershipAccess, acting_user: User | None = None) -> None:
    """Take a per-MNVP role away; permissions still given by other roles remain."""
    user = access.user
    log(access, "wagtail.delete", user=acting_user)
    access.delete()
    sync_partnership_permissions(user)


def sync_partnership_permissions(user: User) -> None:
    """Make ``user``'s partnership object permissions and role groups match their access rows."""
    wanted: dict[int, set[str]] = {}
    roles = set()
    for access in PartnershipAccess.objects.filter(user=user).select_related("partnership"):
        wanted.setdefault(access.partnership_id, set()).update(PARTNERSHIP_OBJECT_PERMISSIONS[access.role])
        roles.add(access.role)

    wanted_pairs = {(pk, codename) for pk, codenames in wanted.items() for codename in codenames}
    all_codenames = {c for codenames in PARTNERSHIP_OBJECT_PERMISSIONS.values() for c in codenames}
    held = UserObjectPermission.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(Partnership),
        permission__codename__in=all_codenames,
    )
    held_pairs = {
        (int(pk), codename) for pk, codename in held.values_list("object_pk", "permission__codename")
    }
    for pk, codename in wanted_pairs - held_pairs:
        assign_perm(codename, user, Partnership(pk=pk))
    for pk, codename in held_pairs - wanted_pairs:
        held.filter(object_pk=str(pk), permission__codename=codename).delete()

    per_mnvp_groups = Group.objects.filter(name__in=[group_name(r) for r in PARTNERSHIP_OBJECT_PERMISSIONS])
    for group in per_mnvp_groups:
        if group.name in {group_name(r) for r in roles}:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    forget_cached_scope(user)
