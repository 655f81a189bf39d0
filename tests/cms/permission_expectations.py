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

# --- Levels on a viewset's model ----------------------------------------------------------

NONE, VIEW, EDIT, FULL = 0, 1, 2, 3

VIEW_LEVEL = {
    "index": VIEW,
    "index_results": VIEW,
    "inspect": VIEW,
    "history": VIEW,
    "history_results": VIEW,
    "usage": VIEW,
    "add": EDIT,
    "edit": EDIT,
    "copy": EDIT,
    "delete": FULL,
}

# namespace -> {role: level}. The superuser has FULL everywhere.
VIEWSETS: dict[str, dict[str, int]] = {}

# url name -> {role: outcome}; corrections to what VIEWSETS says.
OVERRIDES: dict[str, dict[str, object]] = {}

# url name -> {role or "*": outcome}; URLs outside viewsets, and custom actions.
URLS: dict[str, dict[str, object]] = {}

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
        row = URLS[name]
        return row.get(role, row.get("*", MISSING))
    namespace, _, view = name.partition(":")
    if namespace not in VIEWSETS or view not in VIEW_LEVEL:
        if name in OVERRIDES and role in OVERRIDES[name]:
            return OVERRIDES[name][role]
        return MISSING
    if name in OVERRIDES and role in OVERRIDES[name]:
        return OVERRIDES[name][role]
    return from_level(role, VIEWSETS[namespace], view)


def from_level(role: str, levels: dict[str, int], view: str) -> object:
    if role == ANON:
        return LOGIN
    level = FULL if role == SUPERUSER else levels.get(role, NONE)
    if level < VIEW_LEVEL[view]:
        return DENIED
    if role in SCOPED_ROLES and view not in ("index", "index_results", "add"):
        return (OK, NOT_FOUND)
    return OK


def known(name: str) -> bool:
    return name in URLS or name in OVERRIDES or name.partition(":")[0] in VIEWSETS
