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
        # Anyone with a login can report a safeguarding concern (and then sees its status only).
        "safeguarding.add_concern",
        "safeguarding.add_riskassessment",
        "safeguarding.change_riskassessment",
        "safeguarding.view_riskassessment",
        "safeguarding.add_supportorganisation",
        "safeguarding.change_supportorganisation",
        "safeguarding.delete_supportorganisation",
        "safeguarding.view_supportorganisation",
        # Workplans, budgets, claims, payments and activities of every MNVP.
        *(
            f"workplans.{action}_{model}"
            for model in (
                "workplan",
                "objective",
                "milestone",
                "budgetline",
                "expenseclaim",
                "expenseitem",
                "involvementpayment",
                "involvementrate",
                "mileagerate",
                "benefitsadvicerecord",
                "engagementactivity",
                "activityvolunteer",
                "activityreach",
                "yousaidwedid",
                "committee",
                "meeting",
                "meetingattendance",
                "feedbacktheme",
                "feedbackitem",
                "leadarrangement",
            )
            for action in ("add", "change", "delete", "view")
        ),
        "workplans.import_feedbackitem",
        "workplans.export_feedbackitem",
        "workplans.change_benefitslettersettings",
        "workplans.add_milestoneupdate",
        "workplans.view_milestoneupdate",
        "workplans.add_workplansignoff",
        "workplans.view_workplansignoff",
        # The local birthing population an activity's reach is compared with.
        "workplans.add_birthingpopulation",
        "workplans.change_birthingpopulation",
        "workplans.delete_birthingpopulation",
        "workplans.view_birthingpopulation",
        "workplans.approve_expenseclaim",
        "workplans.pay_expenseclaim",
        "workplans.export_expenseclaim",
        "workplans.pay_involvementpayment",
        "workplans.export_involvementpayment",
        "workplans.change_financesettings",
        "cms.add_bankholiday",
        "cms.change_bankholiday",
        "cms.delete_bankholiday",
        "cms.view_bankholiday",
        # Background tasks that failed after their retries; host staff mark them resolved.
        "cms.view_failedtask",
        "cms.change_failedtask",
        # Data requests (access, erasure, correction) and the host's privacy contact.
        "privacy.add_datarequest",
        "privacy.change_datarequest",
        "privacy.view_datarequest",
        "privacy.change_privacysettings",
        "privacy.export_subject_access",
        "privacy.erase_person",
        "privacy.view_retentionpolicy",
        "privacy.change_retentionpolicy",
        "privacy.view_retentionrun",
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
    # DSLs see every safeguarding concern and allegation, and are the only ones who
    # export them (each export logged); they read the access log of those records.
    Role.SAFEGUARDING_LEAD: [
        ADMIN_ACCESS,
        "members.view_partnership",
        "safeguarding.add_concern",
        "safeguarding.change_concern",
        "safeguarding.view_concern",
        "safeguarding.export_concern",
        "safeguarding.change_concernsettings",
        "safeguarding.add_riskassessment",
        "safeguarding.change_riskassessment",
        "safeguarding.view_riskassessment",
        "safeguarding.add_supportorganisation",
        "safeguarding.change_supportorganisation",
        "safeguarding.view_supportorganisation",
        "cms.view_accesslogentry",
    ],
    # A case handler reaches only the cases assigned to them (object permissions).
    Role.CASE_HANDLER: [ADMIN_ACCESS, "safeguarding.add_concern"],
    # Host staff holding the grievance role: every grievance and complaint, except
    # one they are the subject of; they assign handlers and read the access log.
    Role.GRIEVANCE_MANAGER: [
        ADMIN_ACCESS,
        "safeguarding.add_case",
        "safeguarding.change_case",
        "safeguarding.view_case",
        "safeguarding.assign_case",
        "safeguarding.change_casesettings",
        "cms.view_accesslogentry",
    ],
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
        "safeguarding.add_concern",
        "safeguarding.add_riskassessment",
        "safeguarding.view_riskassessment",
        "safeguarding.view_supportorganisation",
        # Their own MNVP's workplan: progress updates, the MNVP's agreement, members'
        # claims (never their own: the services refuse it), activities and actions.
        "workplans.view_workplan",
        "workplans.view_objective",
        "workplans.view_milestone",
        "workplans.add_milestoneupdate",
        "workplans.view_milestoneupdate",
        "workplans.add_workplansignoff",
        "workplans.view_workplansignoff",
        "workplans.view_budgetline",
        "workplans.add_expenseclaim",
        "workplans.change_expenseclaim",
        "workplans.view_expenseclaim",
        "workplans.approve_expenseclaim",
        "workplans.add_expenseitem",
        "workplans.change_expenseitem",
        "workplans.view_expenseitem",
        "workplans.view_involvementpayment",
        *(
            f"workplans.{action}_{model}"
            for model in (
                "engagementactivity",
                "activityvolunteer",
                "activityreach",
                "yousaidwedid",
                "meeting",
                "meetingattendance",
                "feedbackitem",
            )
            for action in ("add", "change", "view")
        ),
        "workplans.view_committee",
        "workplans.view_feedbacktheme",
        "workplans.view_birthingpopulation",
    ],
    # Read-only oversight of the MNVPs they commission, and the ICB's sign-off.
    Role.ICB_COMMISSIONER: [
        ADMIN_ACCESS,
        "workplans.view_workplan",
        "workplans.view_objective",
        "workplans.view_milestone",
        "workplans.view_milestoneupdate",
        "workplans.view_budgetline",
        "workplans.view_workplansignoff",
        "workplans.add_workplansignoff",
        "workplans.view_engagementactivity",
        "workplans.view_yousaidwedid",
        "workplans.view_committee",
        "workplans.view_meeting",
    ],
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
