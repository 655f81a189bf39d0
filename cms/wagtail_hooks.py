"""Admin-wide hooks: menus and reports that depend on the user's role."""

from wagtail import hooks

from .middleware import HOST_ONLY_ADMIN_VIEWS


@hooks.register("construct_reports_menu")
def hide_host_only_reports(request, menu_items):
    if not request.user.has_perm(HOST_ONLY_ADMIN_VIEWS["wagtailadmin_reports:site_history"]):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
