"""Admin registration for privacy: data requests, retention policies and runs, subject access, erasure."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from members.permissions import register_scoped_policy

from .models import DataRequest

# Policies first: Wagtail refuses a custom policy once a viewset has made a fallback.
register_scoped_policy(DataRequest)

from .viewsets.requests import DataRequestViewSet  # noqa: E402


class PrivacyViewSetGroup(ViewSetGroup):
    menu_label = "Privacy"
    menu_icon = "lock"
    menu_order = 800
    items = (DataRequestViewSet("data_requests"),)


@hooks.register("register_admin_viewset")
def register_privacy_viewsets():
    return PrivacyViewSetGroup()
