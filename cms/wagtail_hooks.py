"""Admin-wide hooks: menus and reports that depend on the user's role."""

from wagtail import hooks

from .middleware import HOST_ONLY_ADMIN_VIEWS


@hooks.register("construct_reports_menu")
def hide_host_only_reports(request, menu_items):
    if not request.user.has_perm(HOST_ONLY_ADMIN_VIEWS["wagtailadmin_reports:site_history"]):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


# --- Access log (read-only) and bank holidays ---
# The access log's policy first: Wagtail refuses a custom policy once a viewset has made a fallback.


def _register_access_log_policy():
    from wagtail.permissions import register_permission_policy

    from .models import AccessLogEntry
    from .viewsets import AccessLogPermissionPolicy

    register_permission_policy(AccessLogEntry, AccessLogPermissionPolicy(AccessLogEntry))


_register_access_log_policy()


def _register_failed_task_policy():
    from wagtail.permissions import register_permission_policy

    from .models import FailedTask
    from .viewsets import FailedTaskPermissionPolicy

    register_permission_policy(FailedTask, FailedTaskPermissionPolicy(FailedTask))


_register_failed_task_policy()


@hooks.register("register_admin_viewset")
def register_failed_task_viewset():
    from .viewsets import failed_task_viewset

    return failed_task_viewset


@hooks.register("register_admin_viewset")
def register_access_log_viewset():
    from .viewsets import access_log_viewset

    return access_log_viewset


@hooks.register("register_admin_viewset")
def register_bank_holiday_viewset():
    from .viewsets import bank_holiday_viewset

    return bank_holiday_viewset


# --- The audit trail of our own action views (cms/audit.py) ---


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    from .audit import ACTION, ActionFormatter

    actions.register_action(ACTION)(ActionFormatter)


# --- The dashboard: one panel per concern, for the roles it is for (cms/dashboard.py) ---


@hooks.register("construct_homepage_panels")
def add_role_dashboard_panels(request, panels):
    """Ours first (lower ``order``); Wagtail's page panels stay for those who edit pages."""
    from .dashboard import panels_for

    panels.extend(panels_for(request.user))
