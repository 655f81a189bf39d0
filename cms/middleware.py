"""Admin views Wagtail opens to every admin user but that show every MNVP's data."""

from django.http import Http404

# Wagtail's site history report lists log entries of any model the user holds a
# model permission on, whichever MNVP the entry is about; so only those who may
# see the whole host's audit trail may open it.
HOST_ONLY_ADMIN_VIEWS = {
    "wagtailadmin_reports:site_history": "members.view_audit_log",
    "wagtailadmin_reports:site_history_results": "members.view_audit_log",
    # Wagtail's admin API lists every document and image (with its download address) to any
    # admin login, whatever their collection permissions: only those who may choose them.
    **{
        f"wagtailadmin_api:documents:{view}": "wagtaildocs.choose_document"
        for view in ("listing", "detail", "find")
    },
    **{
        f"wagtailadmin_api:images:{view}": "wagtailimages.choose_image"
        for view in ("listing", "detail", "find")
    },
}


def required_permission(view_name: str | None) -> str | None:
    return HOST_ONLY_ADMIN_VIEWS.get(view_name or "")


class HostOnlyAdminViewsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        permission = required_permission(getattr(request.resolver_match, "view_name", None))
        if permission and not request.user.has_perm(permission):
            raise Http404
        return None
