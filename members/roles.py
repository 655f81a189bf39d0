"""What each role may do, as Django groups with model permissions.

This module is the one place that says which kinds of record a role may touch.
*Which MNVPs* they may touch is said by object permissions (see
:mod:`members.scoping` and :mod:`members.services`). Later apps add their models'
permissions to ``ROLE_MODEL_PERMISSIONS`` here, so the matrix stays readable in one
screen.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .enums import PartnershipRole, Role

ADMIN_ACCESS = "wagtailadmin.access_admin"

# Model-level ("what kind of thing") permissions per role.
ROLE_MODEL_PERMISSIONS: dict[str, list[str]] = {
    Role.HOST_STAFF: [
        ADMIN_ACCESS,
        "members.add_partnership",
        "members.change_partnership",
        "members.delete_partnership",
        "members.view_partnership",
        "members.add_partnershipaccess",
        "members.delete_partnershipaccess",
        "members.view_partnershipaccess",
        "members.view_audit_log",
        "members.add_person",
        "members.change_person",
        "members.delete_person",
        "members.view_person",
        "members.add_application",
        "members.change_application",
        "members.delete_application",
        "members.view_application",
        "members.add_membership",
        "members.change_membership",
        "members.delete_membership",
        "members.view_membership",
        "members.import_person",
        "members.export_person",
        "members.export_application",
        "members.import_membership",
        "members.export_membership",
        "members.view_equality_report",
        "members.add_referencepopulation",
        "members.change_referencepopulation",
        "members.delete_referencepopulation",
        "members.view_referencepopulation",
        "members.change_recruitmentsettings",
        "members.add_course",
        "members.change_course",
        "members.delete_course",
        "members.view_course",
        "members.add_rolerequirement",
        "members.change_rolerequirement",
        "members.delete_rolerequirement",
        "members.view_rolerequirement",
        "members.add_trainingrecord",
        "members.change_trainingrecord",
        "members.delete_trainingrecord",
        "members.view_trainingrecord",
        "members.import_trainingrecord",
        "members.export_trainingrecord",
        "members.view_compliance_report",
        "members.change_compliancesettings",
        # DBS check metadata; the certificate number needs the DBS verifier role too.
        "members.add_dbscheck",
        "members.change_dbscheck",
        "members.delete_dbscheck",
        "members.view_dbscheck",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
    # DSLs need to know which MNVPs exist; their case permissions come with issue 5.
    Role.SAFEGUARDING_LEAD: [ADMIN_ACCESS, "members.view_partnership"],
    Role.CASE_HANDLER: [ADMIN_ACCESS],
    # Leads and commissioners reach partnerships only through object permissions.
    # Leads follow recruitment for their own MNVP (scoped by object permission).
    Role.MNVP_LEAD: [
        ADMIN_ACCESS,
        "members.view_person",
        "members.view_application",
        "members.change_application",
        "members.view_membership",
        # Spreadsheets of their own MNVP only (scoping applies to both). People are
        # imported through memberships, which say which MNVP a row belongs to.
        "members.export_person",
        "members.export_application",
        "members.import_membership",
        "members.export_membership",
        # Who in their MNVP is trained and cleared; never DBS details.
        "members.view_course",
        "members.view_rolerequirement",
        "members.view_trainingrecord",
        "members.export_trainingrecord",
        "members.view_compliance_report",
    ],
    Role.ICB_COMMISSIONER: [ADMIN_ACCESS],
    # Held with Host staff: sees DBS certificate numbers (each view logged). Alone it
    # reaches no DBS check, since finding one needs view_dbscheck.
    Role.DBS_VERIFIER: [ADMIN_ACCESS, "members.view_dbs_certificate_number"],
}

# Object permissions on a Partnership that each per-MNVP role grants.
PARTNERSHIP_OBJECT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    PartnershipRole.MNVP_LEAD: ("view_partnership", "change_partnership"),
    PartnershipRole.ICB_COMMISSIONER: ("view_partnership",),
}

# Wagtail page-tree permissions (GroupPagePermission on the root page) per role.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    Role.HOST_STAFF: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def group_name(role: str) -> str:
    return Role(role).label


def role_group(role: str) -> Group:
    return Group.objects.get(name=group_name(role))


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


@transaction.atomic
def sync_role_groups() -> dict[str, Group]:
    """Create or update each role's group so it holds exactly the permissions above.

    Idempotent: run after every migrate and by ``seed_demo``.
    """
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    groups = {}
    for role, names in ROLE_MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        group.permissions.set(_permissions(names))
        groups[role] = group

    root_page = Page.get_first_root_node()
    for role, codenames in ROLE_PAGE_PERMISSIONS.items():
        if root_page is None:
            continue
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[role],
                page=root_page,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for perm in groups[Role.HOST_STAFF].permissions.filter(
            content_type__app_label__in=["wagtaildocs", "wagtailimages"]
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=groups[Role.HOST_STAFF], collection=root_collection, permission=perm
            )
    return groups


def sync_role_groups_after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate receiver: bring the role groups in line with this module."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # post_migrate reaches us before it reaches later apps (wagtailadmin's
    # access_admin, for one), so make sure every permission row exists first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups()
