"""What every admin URL answers to every role: the table behind test_permission_matrix.py.

Every named URL under /admin/ must be answered by this table, or the matrix test
fails: a new view cannot be added without saying who may open it.

How an expectation is found for a URL name ``namespace:view`` and a role:

1. ``URLS[name]``: a row for a URL outside a viewset (reports, Wagtail's own pages),
   or for a custom action whose answer does not follow from its viewset's level.
   A row maps roles to an outcome; ``"*"`` is the default for the roles not named.
2. otherwise ``VIEWSETS[namespace]``: the *level* each role has on that viewset's
   model (roles not named have ``NONE``), turned into an outcome per generic view by
   :data:`VIEW_LEVEL` (index, inspect, history, usage need VIEW; add, edit, copy
   need EDIT; delete needs FULL). An MNVP-scoped role (:data:`SCOPED_ROLES`) gets 404
   on another MNVP's object. ``OVERRIDES[name]`` then corrects single roles.

An outcome is one of the constants below, or a pair ``(own, other)`` for object URLs:
*own* is the object of Northshire (the MNVP the lead and the commissioner hold; the
case assigned to the case handler; an import job of the user), *other* is Southvale's.

To add an expectation for a new view: put its viewset's namespace in ``VIEWSETS``
with the level of each role that may reach it, or a row in ``URLS``; run
``PERMISSION_MATRIX_DUMP=/tmp/matrix pytest tests/cms/test_permission_matrix.py`` to see
what every URL actually answers (one JSON file per role).
"""

from __future__ import annotations

# --- Roles (one test each) ----------------------------------------------------------------

SUPERUSER = "superuser"
HOST = "host_staff"
DSL = "dsl"
HANDLER = "case_handler"
GRIEVANCE = "grievance_manager"
DBS = "dbs_verifier"
LEAD = "lead"  # lead of Northshire
ICB = "commissioner"  # ICB commissioner of Northshire
NOBODY = "no_role"  # a login without any role
ANON = "anonymous"

ROLES = (SUPERUSER, HOST, DSL, HANDLER, GRIEVANCE, DBS, LEAD, ICB, NOBODY, ANON)
SCOPED_ROLES = {LEAD, ICB}

# --- Outcomes -----------------------------------------------------------------------------

OK = "200"
LOGIN = "login"  # redirect to the admin login
DENIED = "denied"  # Wagtail's permission-denied redirect to the dashboard
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"  # POST-only: GET refused
REDIRECT = "redirect"  # allowed, answered with a redirect elsewhere (not login, not the dashboard)
BAD_REQUEST = "400"
# Refused in any of the ways the admin refuses: the dashboard redirect, 403, 404, or 405 for
# a POST-only action that refuses GET before it looks at the user. Never a page.
REFUSED = "refused"
REFUSALS = {DENIED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}


def matches(want: str, got: str) -> bool:
    return got in REFUSALS if want == REFUSED else got == want


# --- Levels on a viewset's model ----------------------------------------------------------

NONE, VIEW, EDIT, FULL = 0, 1, 2, 3


def own(level: int) -> tuple[str, int]:
    """A level on the role's own records only (a case handler's assigned case): 404 on others."""
    return ("own", level)


# What each generic view needs. Wagtail's history and usage views ask for "change".
VIEW_LEVEL = {
    "index": VIEW,
    "index_results": VIEW,
    "inspect": VIEW,
    "history": EDIT,
    "history_results": EDIT,
    "usage": EDIT,
    "add": EDIT,
    "edit": EDIT,
    "copy": EDIT,
    "delete": FULL,
}
LIST_VIEWS = {"index", "index_results", "add"}

# namespace -> {role: level}. The superuser has FULL everywhere; roles not named have NONE.
# The levels are what members/roles.py grants, as README "Roles and what they may see" says.
VIEWSETS: dict[str, dict[str, object]] = {
    # members
    "people": {HOST: FULL, LEAD: VIEW},
    "applications": {HOST: FULL, LEAD: EDIT},
    "memberships": {HOST: FULL, LEAD: VIEW},
    "training_records": {HOST: FULL, LEAD: VIEW},
    "dbs_checks": {HOST: FULL},  # the DBS verifier alone reaches no check (it needs host staff too)
    "courses": {HOST: FULL, LEAD: VIEW},
    "role_requirements": {HOST: FULL, LEAD: VIEW},
    "partnerships": {HOST: FULL, DSL: VIEW, LEAD: EDIT, ICB: VIEW},
    "partnership_access": {HOST: FULL},
    "reference_population": {HOST: FULL},
    # cms
    "bank_holidays": {HOST: FULL},
    "access_log": {DSL: VIEW, GRIEVANCE: VIEW},
    "failed_tasks": {HOST: EDIT},  # host staff read them and tick "resolved"; nobody adds or deletes
    # workplans
    "workplans": {HOST: FULL, LEAD: VIEW, ICB: VIEW},
    "objectives": {HOST: FULL, LEAD: VIEW, ICB: VIEW},
    "milestones": {HOST: FULL, LEAD: VIEW, ICB: VIEW},
    "budget_lines": {HOST: FULL, LEAD: VIEW, ICB: VIEW},
    "expense_claims": {HOST: FULL, LEAD: EDIT},
    "involvement_payments": {HOST: FULL, LEAD: VIEW},
    "benefits_advice": {HOST: FULL},
    "mileage_rates": {HOST: FULL},
    "involvement_rates": {HOST: FULL},
    "engagement_activities": {HOST: FULL, LEAD: EDIT, ICB: VIEW},
    "you_said_we_did": {HOST: FULL, LEAD: EDIT, ICB: VIEW},
    "birthing_population": {HOST: FULL, LEAD: VIEW},
    "feedback_items": {HOST: FULL, LEAD: EDIT},
    "feedback_themes": {HOST: FULL, LEAD: VIEW},
    "committees": {HOST: FULL, LEAD: VIEW, ICB: VIEW},
    "meetings": {HOST: FULL, LEAD: EDIT, ICB: VIEW},
    "lead_arrangements": {HOST: FULL},
    # safeguarding
    "concerns": {DSL: EDIT},
    "risk_assessments": {HOST: EDIT, DSL: EDIT, LEAD: EDIT},
    "support_organisations": {HOST: FULL, DSL: EDIT, LEAD: VIEW},
    "cases": {GRIEVANCE: EDIT, HANDLER: own(EDIT)},
    # Wagtail's own, for the superuser only
    "wagtailsites": {},
    "wagtailusers_users": {},
    "wagtailusers_groups": {},
}

# Custom actions of a viewset: url name -> level it needs (like VIEW_LEVEL), or a pair
# (level, what an allowed GET answers) when that is not the page itself.
ACTIONS: dict[str, object] = {
    "applications:move": EDIT,
    "applications:accept": EDIT,
    "applications:bulk_move": EDIT,
    "training_records:certificate": VIEW,
    "training_records:session": FULL,
    "dbs_checks:certificate_number": (FULL, NOT_ALLOWED),  # a POST, logged each time
    "dbs_checks:decide": FULL,
    "workplans:sign_off": FULL,  # the lead agrees (and the ICB signs off) later stages only
    "workplans:copy": FULL,
    "milestones:post_update": EDIT,
    "milestones:attachment": VIEW,
    "expense_claims:submit": EDIT,
    "expense_claims:approve": EDIT,
    "expense_claims:reject": EDIT,
    "expense_claims:mark_paid": FULL,
    "expense_claims:add_item": EDIT,
    "expense_claims:remove_item": EDIT,
    "expense_claims:receipt": VIEW,
    "involvement_payments:mark_paid": FULL,
    "involvement_payments:cancel": FULL,
    # The world's people do not claim benefits, so the letter sends host staff back.
    "benefits_advice:letter": (FULL, REDIRECT),
    "engagement_activities:add_volunteer": EDIT,
    "engagement_activities:remove_volunteer": EDIT,
    "engagement_activities:record_reach": EDIT,
    "engagement_activities:mark_ready": EDIT,
    "engagement_activities:mark_done": (EDIT, REDIRECT),  # not held yet: back to the activity
    "feedback_items:tag": (EDIT, NOT_ALLOWED),
    "meetings:add_attendance": EDIT,
    "meetings:edit_attendance": EDIT,
    "meetings:remove_attendance": EDIT,
    "concerns:acknowledge": EDIT,
    # Steps not open to a concern just reported: GET sends the DSL back to the concern.
    **{
        f"concerns:{step}": (EDIT, REDIRECT)
        for step in (
            "triage",
            "add_entry",
            "escalate",
            "lado_referral",
            "debrief",
            "outcome",
            "close",
            "reopen",
        )
    },
    "risk_assessments:approve": EDIT,
    "cases:acknowledge": EDIT,
    "cases:close": EDIT,
    "cases:attach_document": EDIT,
    "cases:document": VIEW,
    "cases:assign": FULL,
    # Steps not open to a case just received: GET sends back to the case.
    **{
        f"cases:{step}": (EDIT, REDIRECT)
        for step in ("start_investigation", "record_outcome", "lodge_appeal", "decide_appeal")
    },
}

# url name -> {role: outcome}; corrections to what VIEWSETS and ACTIONS say.
OVERRIDES: dict[str, dict[str, object]] = {
    # Leads change an application's stage, never add one (applications come from sign-ups).
    "applications:add": {LEAD: REFUSED},
    # A lead edits their own MNVP's details; adding and deleting MNVPs is the host's.
    "partnerships:add": {LEAD: REFUSED},
    # An MNVP's access is granted and revoked, never edited (members/services/access.py).
    **{f"partnership_access:{view}": {HOST: REFUSED} for view in ("edit", "usage")},
    # Leads add risk assessments; host staff or a DSL approve and change them.
    **{
        f"risk_assessments:{view}": {LEAD: REFUSED}
        for view in ("edit", "usage", "history", "history_results")
    },
    "risk_assessments:history": {LEAD: (OK, NOT_FOUND)},
    "risk_assessments:history_results": {LEAD: (OK, NOT_FOUND)},
    "risk_assessments:approve": {LEAD: REFUSED},
    # Cases and involvement payments are never deleted.
    "cases:delete": {SUPERUSER: REFUSED},
    "cases:assign": {GRIEVANCE: OK},
    "cases:add": {HANDLER: REFUSED},  # a handler works the cases assigned to them, never opens one
    "involvement_payments:delete": {SUPERUSER: REFUSED, HOST: REFUSED},
    # Every DBS check of the world is decided already: deciding again is refused to all.
    "dbs_checks:decide": {SUPERUSER: REFUSED, HOST: REFUSED},
    # Leads post progress on their own MNVP's milestones (and nothing else of the plan).
    "milestones:post_update": {LEAD: (OK, NOT_FOUND)},
    # The certificate number is shown to a DBS verifier (who is host staff too) only.
    "dbs_checks:certificate_number": {HOST: REFUSED},
    # The world's access log entries are about grievance cases: the DSL's entries list is
    # open to them, these entries are not.
    "access_log:inspect": {DSL: REFUSED},
    # Nobody deletes their own account.
    "wagtailusers_users:delete": {SUPERUSER: REFUSED},
}

# Who may open an admin page at all: every login with admin access (all roles here but NOBODY).
ADMIN_USERS = (SUPERUSER, HOST, DSL, HANDLER, GRIEVANCE, DBS, LEAD, ICB)


def row(*allowed: str, outcome: object = OK, others: object = REFUSED) -> dict[str, object]:
    """A URL outside a viewset: ``allowed`` roles get ``outcome``, other admin users ``others``."""
    return {"*": others, **dict.fromkeys(allowed, outcome), NOBODY: LOGIN, ANON: LOGIN}


EVERY_ADMIN = row(*ADMIN_USERS)
PAGES_TEAM = row(SUPERUSER, HOST)  # host staff edit the public pages, documents and images
SUPERUSER_ONLY = row(SUPERUSER)
NOBODY_FINDS = row(outcome=NOT_FOUND, others=NOT_FOUND)  # nothing of the kind in the world: 404
POST_ONLY = row(*ADMIN_USERS, outcome=NOT_ALLOWED)
PUBLIC = dict.fromkeys((*ROLES,), OK)

# url name -> {role or "*": outcome}; URLs outside viewsets: reports, imports, Wagtail's own.
URLS: dict[str, dict[str, object]] = {
    # --- Everyone with an admin login ---
    **dict.fromkeys(
        [
            "wagtailadmin_home",
            "wagtailadmin_account",
            "wagtailadmin_dismissibles",
            "wagtailadmin_tag_autocomplete",
            "wagtailembeds:chooser",
            "wagtailembeds:chooser_upload",
            # Wagtail's page chooser and page API list the page tree (the public site) to any admin.
            "wagtailadmin_choose_page",
            "wagtailadmin_choose_page_child",
            "wagtailadmin_choose_page_search",
            "wagtailadmin_choose_page_chosen_multiple",
            "wagtailadmin_choose_page_external_link",
            "wagtailadmin_choose_page_email_link",
            "wagtailadmin_choose_page_phone_link",
            "wagtailadmin_choose_page_anchor_link",
            "wagtailadmin_api:pages:listing",
            "wagtailadmin_pages:choose_parent",
            # Wagtail shows the move and workflow-cancel confirmations (titles only) to anyone;
            # the move itself checks permission.
            "wagtailadmin_pages:move_confirm",
            "wagtailadmin_pages:confirm_workflow_cancellation",
            # The workflow task chooser lists task names; creating one needs permission.
            "wagtailadmin_workflows:task_chooser",
            "wagtailadmin_workflows:task_chooser_results",
            "wagtailadmin_workflows:task_chooser_create",
            "wagtailadmin_workflows:task_chosen",
            # Choosers list only what the user may choose (empty without collection permissions).
            "wagtaildocs_chooser:choose",
            "wagtaildocs_chooser:choose_results",
            "wagtaildocs_chooser:chosen_multiple",
            "wagtailimages_chooser:choose",
            "wagtailimages_chooser:choose_results",
            "wagtailimages_chooser:chosen_multiple",
            # Our choosers offer only the MNVPs and people the user may attach records to.
            "partnership_chooser:choose",
            "partnership_chooser:choose_results",
            "partnership_chooser:chosen_multiple",
            "person_chooser:choose",
            "person_chooser:choose_results",
            "person_chooser:chosen_multiple",
            # A reporter's own concerns, with reference and status only.
            "concern_reports:mine",
        ],
        EVERY_ADMIN,
    ),
    "partnership_chooser:chosen": {**row(SUPERUSER, HOST), LEAD: (OK, NOT_FOUND)},
    "person_chooser:chosen": {**row(SUPERUSER, HOST), LEAD: (OK, NOT_FOUND)},
    "partnership_chooser:create": row(SUPERUSER, HOST),
    "person_chooser:create": row(SUPERUSER, HOST),
    # Reporting a concern needs safeguarding.add_concern: host staff, DSLs, case handlers and leads.
    "concern_reports:report": row(SUPERUSER, HOST, DSL, HANDLER, LEAD),
    # --- Public pages of the admin ---
    **dict.fromkeys(
        [
            "wagtailadmin_javascript_catalog",
            "wagtailadmin_sprite",
            "wagtailadmin_password_reset",
            "wagtailadmin_password_reset_done",
            "wagtailadmin_password_reset_confirm",
            "wagtailadmin_password_reset_complete",
        ],
        PUBLIC,
    ),
    "wagtailadmin_login": {**dict.fromkeys(ADMIN_USERS, DENIED), NOBODY: OK, ANON: OK},
    "wagtailadmin_logout": POST_ONLY,
    # --- Reports ---
    "members_reports:recruitment_funnel": row(SUPERUSER, HOST, LEAD),
    "members_reports:recruitment_funnel_results": row(SUPERUSER, HOST, LEAD),
    "members_reports:equality": PAGES_TEAM,
    "members_reports:equality_results": PAGES_TEAM,
    "compliance_report:index": row(SUPERUSER, HOST, LEAD),
    "compliance_report:results": row(SUPERUSER, HOST, LEAD),
    # Background exports: starting one redirects to its page; a job (here none) is its asker's only.
    "compliance_report:export_start": row(SUPERUSER, HOST, LEAD, outcome=REDIRECT),
    **dict.fromkeys(
        [
            "compliance_report:export_job",
            "compliance_report:export_status",
            "compliance_report:export_download",
        ],
        row(SUPERUSER, HOST, LEAD, outcome=NOT_FOUND),
    ),
    "workplan_progress:index": row(SUPERUSER, HOST, LEAD, ICB),
    "workplan_progress:results": row(SUPERUSER, HOST, LEAD, ICB),
    "workplans_money:budget": row(SUPERUSER, HOST, LEAD, ICB),
    "workplans_money:budget_results": row(SUPERUSER, HOST, LEAD, ICB),
    "workplans_money:tax_year": PAGES_TEAM,
    "workplans_money:tax_year_results": PAGES_TEAM,
    "theme_report:index": row(SUPERUSER, HOST, LEAD),
    "theme_report:results": row(SUPERUSER, HOST, LEAD),
    "workplans_representation:index": row(SUPERUSER, HOST, LEAD, ICB),
    "workplans_representation:results": row(SUPERUSER, HOST, LEAD, ICB),
    "annual_reports:index": row(SUPERUSER, HOST, LEAD, ICB),
    "funding_requests:index": row(SUPERUSER, HOST, LEAD, ICB),
    **{
        f"{namespace}:{view}": {**row(SUPERUSER, HOST), LEAD: (OK, NOT_FOUND), ICB: (OK, NOT_FOUND)}
        for namespace, views in (
            ("annual_reports", ("report", "pdf", "evidence_pdf")),
            ("funding_requests", ("request", "pdf", "xlsx")),
        )
        for view in views
    },
    # Wagtail's site history lists every MNVP's changes: host staff only, 404 to anyone else.
    "wagtailadmin_reports:site_history": {
        **row(SUPERUSER, HOST, others=NOT_FOUND),
        NOBODY: NOT_FOUND,
        ANON: NOT_FOUND,
    },
    "wagtailadmin_reports:site_history_results": {
        **row(SUPERUSER, HOST, others=NOT_FOUND),
        NOBODY: NOT_FOUND,
        ANON: NOT_FOUND,
    },
    # --- Imports: the upload page needs the import permission; a job is its uploader's only ---
    "people:import": PAGES_TEAM,
    "training_records:import": PAGES_TEAM,
    "feedback_items:import": PAGES_TEAM,
    "memberships:import": row(SUPERUSER, HOST, LEAD),
    **{
        f"{namespace}:{view}": {
            **dict.fromkeys(allowed, (OK, NOT_FOUND)),
            "*": REFUSED,
            NOBODY: LOGIN,
            ANON: LOGIN,
        }
        for namespace, allowed in (
            ("people", (SUPERUSER, HOST)),
            ("training_records", (SUPERUSER, HOST)),
            ("feedback_items", (SUPERUSER, HOST)),
            ("memberships", (SUPERUSER, HOST, LEAD)),
        )
        for view in ("import_job", "import_status")
    },
    # --- Wagtail: pages, documents, images (host staff), and the rest (superuser) ---
    **dict.fromkeys(
        [
            "wagtailadmin_explore_root",
            "wagtailadmin_explore",
            "wagtailadmin_explore_results",
            *(
                f"wagtailadmin_pages:{view}"
                for view in (
                    "add",
                    "add_subpage",
                    "copy",
                    "delete",
                    "edit",
                    "history",
                    "history_results",
                    "move",
                    "preview_on_add",
                    "preview_on_edit",
                    "search",
                    "search_results",
                    "set_privacy",
                    "type_use",
                    "type_use_results",
                    "unpublish",
                    "usage",
                    "view_draft",
                    "workflow_history",
                )
            ),
            *(
                f"wagtailadmin_reports:{report}{suffix}"
                for report in (
                    "aging_pages",
                    "locked_pages",
                    "page_types_usage",
                    "workflow",
                    "workflow_tasks",
                )
                for suffix in ("", "_results")
            ),
            *(
                f"wagtaildocs:{view}"
                for view in (
                    "add",
                    "add_multiple",
                    "delete",
                    "document_usage",
                    "edit",
                    "index",
                    "index_results",
                )
            ),
            "wagtaildocs_chooser:chosen",
            "wagtaildocs_chooser:create",
            "wagtailimages:add",
            "wagtailimages:add_multiple",
            "wagtailimages:index",
            "wagtailimages:index_results",
            "wagtailimages:edit",
            "wagtailimages:delete",
            "wagtailimages:image_usage",
            "wagtailimages:preview",
            "wagtailimages_chooser:create",
            "wagtailimages_chooser:chosen",
            "wagtailimages_chooser:select_format",
            "wagtailforms:index",
            "wagtailforms:index_results",
            "wagtailadmin_api:pages:detail",
            # Wagtail's API lists every document and image: only for those who may choose them
            # (cms/middleware.py; 404 to anyone else).
            "wagtailadmin_api:documents:listing",
            "wagtailadmin_api:documents:detail",
            "wagtailadmin_api:images:listing",
            "wagtailadmin_api:images:detail",
        ],
        PAGES_TEAM,
    ),
    **dict.fromkeys(
        [
            *(
                f"wagtailadmin_collections:{view}"
                for view in ("index", "add", "edit", "delete", "set_privacy")
            ),
            *(
                f"wagtailadmin_workflows:{view}"
                for view in (
                    "index",
                    "index_results",
                    "add",
                    "edit",
                    "disable",
                    "disable_task",
                    "edit_task",
                    "task_index",
                    "task_index_results",
                    "usage",
                    "usage_results",
                )
            ),
            *(
                f"wagtailredirects:{view}"
                for view in ("index", "index_results", "add", "edit", "delete", "start_import")
            ),
        ],
        SUPERUSER_ONLY,
    ),
    "wagtailadmin_workflows:select_task_type": {**SUPERUSER_ONLY, SUPERUSER: REDIRECT},
    "wagtailadmin_pages:revisions_index": row(*ADMIN_USERS, outcome=REDIRECT),
    # Nothing of these kinds exists in the world (revisions, workflow states, form pages, tags
    # of a model, uploads in progress): whoever asks, 404 or a refusal, never a page.
    **dict.fromkeys(
        [
            "wagtailadmin_api:documents:find",
            "wagtailadmin_api:images:find",
            "wagtailadmin_api:pages:find",
            "wagtailadmin_block_preview",
            "wagtailadmin_pages:collect_workflow_action_data",
            "wagtailadmin_pages:convert_alias",
            "wagtailadmin_pages:revisions_revert",
            "wagtailadmin_pages:revisions_compare",
            "wagtailadmin_pages:revisions_unschedule",
            "wagtailadmin_pages:revisions_view",
            "wagtailadmin_pages:workflow_action",
            "wagtailadmin_pages:workflow_history_detail",
            "wagtailadmin_tag_model_autocomplete",
            # Images are not served by a dynamic serve view, so there are no URLs to generate.
            "wagtailimages:url_generator",
            "wagtailimages:url_generator_output",
            "wagtailadmin_workflows:add_task",
            "wagtailforms:list_submissions",
            "wagtailforms:list_submissions_results",
            "wagtail_bulk_action",
            "wagtailsettings:preview_on_edit",
            "wagtailsnippets:index",  # no snippets are registered
            "wagtailadmin_pages:workflow_preview",
            "wagtailforms:delete_submissions",
        ],
        row(outcome=REFUSED),
    ),
    # POST-only everywhere (Wagtail answers 405 before it looks at the user).
    **dict.fromkeys(
        [
            "wagtailadmin_api:pages:action",
            "wagtailadmin_editing_sessions:ping",
            "wagtailadmin_editing_sessions:release",
            "wagtailadmin_pages:lock",
            "wagtailadmin_pages:unlock",
            "wagtailadmin_pages:set_page_position",
            "wagtailadmin_workflows:enable",
            "wagtailadmin_workflows:enable_task",
            "wagtailadmin_workflows:remove",
            *(
                f"{app}:{view}"
                for app, model in (("wagtaildocs", "document"), ("wagtailimages", "image"))
                for view in (
                    f"create_multiple_from_uploaded_{model}",
                    "delete_multiple",
                    "delete_upload_multiple",
                    "edit_multiple",
                )
            ),
        ],
        POST_ONLY,
    ),
    "wagtailredirects:process_import": {**SUPERUSER_ONLY, SUPERUSER: NOT_ALLOWED},
    # Settings: each to the role that keeps it.
    **{
        f"wagtailsettings:edit[{label}]": row(*allowed)
        for label, allowed in (
            ("members.recruitmentsettings", (SUPERUSER, HOST)),
            ("members.compliancesettings", (SUPERUSER, HOST)),
            ("workplans.financesettings", (SUPERUSER, HOST)),
            ("workplans.benefitslettersettings", (SUPERUSER, HOST)),
            ("privacy.privacysettings", (SUPERUSER, HOST)),
            ("safeguarding.concernsettings", (SUPERUSER, DSL)),
            ("safeguarding.casesettings", (SUPERUSER, GRIEVANCE)),
            ("home.sitecontact", (SUPERUSER,)),
        )
    },
}

# Exports (``index?export=csv``): a model that declares an export permission is exported only
# by the roles holding it (members/permissions.py); any other listing by whoever may list it.
EXPORTS: dict[str, tuple[str, ...]] = {
    "people": (SUPERUSER, HOST, LEAD),
    "applications": (SUPERUSER, HOST, LEAD),
    "memberships": (SUPERUSER, HOST, LEAD),
    "training_records": (SUPERUSER, HOST, LEAD),
    "feedback_items": (SUPERUSER, HOST),
    "expense_claims": (SUPERUSER, HOST),
    "involvement_payments": (SUPERUSER, HOST),
    "concerns": (SUPERUSER, DSL),
    "cases": (),  # cases are never exported
}


def expected_export(namespace: str, role: str) -> object:
    listing = expected(f"{namespace}:index", role)
    if listing is MISSING or namespace not in EXPORTS or listing != OK:
        return listing
    return OK if role in EXPORTS[namespace] else REFUSED


# cms/middleware.py answers 404 to anyone without the permission, before the login redirect.
for _name in ("wagtailadmin_api:documents", "wagtailadmin_api:images"):
    for _view in ("listing", "detail", "find"):
        URLS[f"{_name}:{_view}"] = {**URLS[f"{_name}:{_view}"], NOBODY: NOT_FOUND, ANON: NOT_FOUND}

# Two-factor pages (security/). Every admin login may open them; the matrix's sessions have
# passed the second factor already, so verification sends them on to the dashboard and
# enrolment to their recovery codes.
URLS.update(
    {
        "security_verify": {"*": DENIED, NOBODY: LOGIN, ANON: LOGIN},
        "security_enrol": {"*": REDIRECT, NOBODY: LOGIN, ANON: LOGIN},
        "security_recovery_codes": {"*": OK, NOBODY: LOGIN, ANON: LOGIN},
    }
)

# Privacy (privacy/): data requests, retention policies and runs for host staff; subject access
# and erasure of a person (their own permissions, host staff). Retention policies come from
# code, so nobody adds, copies or deletes them; retention runs are history, never edited.
VIEWSETS.update(
    {
        "data_requests": {HOST: EDIT},
        "retention_policies": {HOST: EDIT},
        "retention_runs": {HOST: VIEW},
    }
)
for _view in ("add", "copy", "delete"):
    OVERRIDES[f"retention_policies:{_view}"] = {SUPERUSER: DENIED, HOST: DENIED}
for _view in ("add", "edit", "copy", "delete"):
    OVERRIDES[f"retention_runs:{_view}"] = {SUPERUSER: DENIED}
for _view in ("history", "history_results", "usage"):  # a run is never changed, so it has no history
    OVERRIDES[f"retention_runs:{_view}"] = {SUPERUSER: DENIED, HOST: DENIED}
# Data requests are scoped records: without the role, their object pages answer 404 (no existence leak).
for _view in ("inspect", "delete", "history", "history_results", "usage"):
    OVERRIDES[f"data_requests:{_view}"] = dict.fromkeys((DSL, HANDLER, GRIEVANCE, DBS, LEAD, ICB), NOT_FOUND)
# A login without any role is sent back to log in (it may not use the admin at all).
for _namespace in ("data_requests", "retention_policies", "retention_runs"):
    for _view in VIEW_LEVEL:
        OVERRIDES.setdefault(f"{_namespace}:{_view}", {})[NOBODY] = LOGIN
URLS.update(
    {
        "privacy_subject_access": {"*": DENIED, SUPERUSER: OK, HOST: OK, NOBODY: LOGIN, ANON: LOGIN},
        "privacy_erase_person": {"*": DENIED, SUPERUSER: OK, HOST: OK, NOBODY: LOGIN, ANON: LOGIN},
    }
)

# --- Lookup -------------------------------------------------------------------------------

MISSING = object()


def expected(name: str, role: str) -> object:
    """The expected outcome (or ``(own, other)`` pair) of ``name`` for ``role``; MISSING if unknown.

    ``name[variant]`` (a settings model, a bulk action) falls back to ``name``.
    """
    if "[" in name and name not in URLS:
        name = name.partition("[")[0]
    if name in URLS:
        found = URLS[name]
        return found.get(role, found.get("*", MISSING))
    if name in OVERRIDES and role in OVERRIDES[name]:
        return OVERRIDES[name][role]
    namespace, _, view = name.partition(":")
    if namespace not in VIEWSETS:
        return MISSING
    if view in VIEW_LEVEL:
        return from_level(role, VIEWSETS[namespace].get(role, NONE), VIEW_LEVEL[view], view in LIST_VIEWS)
    if name in ACTIONS:
        needed, allowed = ACTIONS[name] if isinstance(ACTIONS[name], tuple) else (ACTIONS[name], OK)
        return from_level(role, VIEWSETS[namespace].get(role, NONE), needed, False, allowed)
    return MISSING


def from_level(role: str, level, needed: int, list_view: bool, allowed: str = OK) -> object:
    if role in (ANON, NOBODY):
        return LOGIN
    scoped = role in SCOPED_ROLES
    if isinstance(level, tuple):
        scoped, level = True, level[1]
    if role == SUPERUSER:
        level = FULL
    if level < needed:
        return REFUSED
    if scoped and not list_view:
        # A POST-only action may refuse GET before it looks for the record.
        return (allowed, REFUSED if allowed == NOT_ALLOWED else NOT_FOUND)
    return allowed


def known(name: str) -> bool:
    return expected(name, SUPERUSER) is not MISSING
