"""Admin registration for privacy: data requests, retention policies and runs, subject access, erasure."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from members.permissions import register_scoped_policy

from .models import DataRequest, RetentionPolicy, RetentionRun

# Policies first: Wagtail refuses a custom policy once a viewset has made a fallback.
register_scoped_policy(DataRequest)


def _register_retention_policies():
    from .viewsets.retention import OnlyActionsPolicy

    register_permission_policy(RetentionPolicy, OnlyActionsPolicy(RetentionPolicy, ("view", "change")))
    register_permission_policy(RetentionRun, OnlyActionsPolicy(RetentionRun, ("view",)))


_register_retention_policies()

from .viewsets.requests import DataRequestViewSet  # noqa: E402
from .viewsets.retention import RetentionPolicyViewSet, RetentionRunViewSet  # noqa: E402


class PrivacyViewSetGroup(ViewSetGroup):
    menu_label = "Privacy"
    menu_icon = "lock"
    menu_order = 800
    items = (
        DataRequestViewSet("data_requests"),
        RetentionPolicyViewSet("retention_policies"),
        RetentionRunViewSet("retention_runs"),
    )


@hooks.register("register_admin_viewset")
def register_privacy_viewsets():
    return PrivacyViewSetGroup()


@hooks.register("register_admin_urls")
def register_privacy_urls():
    from .views import ErasePersonView, SubjectAccessView

    return [
        path(
            "privacy/people/<int:person_id>/subject-access/",
            SubjectAccessView.as_view(),
            name="privacy_subject_access",
        ),
        path("privacy/people/<int:person_id>/erase/", ErasePersonView.as_view(), name="privacy_erase_person"),
    ]


@hooks.register("register_person_header_buttons")
def subject_access_and_erasure_buttons(person, user):
    """On a person's page: "Everything we hold" and "Erase…", for those who may."""
    from .views import ERASE_PERMISSION, SUBJECT_ACCESS_PERMISSION

    buttons = []
    if user.has_perm(SUBJECT_ACCESS_PERMISSION):
        url = reverse("privacy_subject_access", args=[person.pk])
        buttons.append(
            Button("Everything we hold (subject access)", url=url, icon_name="download", priority=60)
        )
    if user.has_perm(ERASE_PERMISSION) and not hasattr(person, "erasure"):
        url = reverse("privacy_erase_person", args=[person.pk])
        buttons.append(Button("Erase this person…", url=url, icon_name="bin", priority=70))
    return buttons
