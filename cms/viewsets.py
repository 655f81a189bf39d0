"""Admin screens for host-wide records: the access log (read-only) and bank holidays."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import path
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from members.admin_views import FormulaSafeExportMixin, ScopedInspectView

from .access_log import entries_for, record_access
from .models import AccessLogEntry, BankHoliday, FailedTask
from .pagination import DeferredJoinPaginator


class AccessLogPermissionPolicy(ModelPermissionPolicy):
    """Reading only, for everyone (superusers too), and only the entries :func:`entries_for` allows.

    The model refuses changes anyway; this keeps Wagtail from offering them (an "Add"
    button for a superuser, say) and narrows every lookup to the user's entries.
    """

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and entries_for(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return entries_for(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions:
            return self.model._default_manager.none()
        return self.instances_user_has_permission_for(user, "view")


def _visible_entries(request):
    return entries_for(request.user) if request is not None else AccessLogEntry.objects.none()


# The choices are read from the small tables (users, content types), each row asking the log
# whether it has an entry: an index seek per row (the log's user and content type indexes),
# where `pk IN (SELECT user_id FROM log)` read the whole log, about 110 ms each at a million rows.
def users_in_log(request):
    """Only the people who appear in entries the user may read."""
    return get_user_model().objects.filter(Exists(_visible_entries(request).filter(user=OuterRef("pk"))))


def record_types_in_log(request):
    return ContentType.objects.filter(
        Exists(_visible_entries(request).filter(content_type=OuterRef("pk")))
    ).order_by("app_label", "model")


class AccessLogFilterSet(WagtailFilterSet):
    user = django_filters.ModelChoiceFilter(queryset=users_in_log)
    action = django_filters.ChoiceFilter(choices=AccessLogEntry.Action.choices)
    content_type = django_filters.ModelChoiceFilter(label="Record type", queryset=record_types_in_log)
    at = django_filters.DateFromToRangeFilter(label="Between", widget=DateRangePickerWidget)

    class Meta:
        model = AccessLogEntry
        fields = ["user", "action", "content_type", "at"]


class RecordTypeColumn(Column):
    def get_value(self, instance):
        return str(instance.content_type.model_class()._meta.verbose_name).capitalize()


class AccessLogIndexView(FormulaSafeExportMixin, generic.IndexView):
    paginator_class = DeferredJoinPaginator  # the log grows without end: deep pages stay cheap

    def get_base_queryset(self):
        return entries_for(self.request.user).select_related("user", "content_type")

    def render_to_response(self, context, **response_kwargs):
        # Reading or carrying away the log is itself an access to confidential records:
        # every listing (with its filters) and every export is in the log too.
        # Recorded once the page is rendered, so a read does not list itself.
        action = AccessLogEntry.Action.EXPORT if self.is_export else AccessLogEntry.Action.VIEW
        label = self.request.GET.get("export") if self.is_export else "listing"
        response = super().render_to_response(context, **response_kwargs)

        def record(_response):
            record_access(
                request=self.request,
                action=action,
                model=AccessLogEntry,
                detail=f"{label}: {self.request.GET.urlencode()}",
            )

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(record)
        else:  # an export streams: recorded as it starts
            record(response)
        return response


class AccessLogInspectView(ScopedInspectView):
    """Outside :func:`entries_for`: 404, as for any record the user may not see."""

    def get_context_data(self, **kwargs):
        record_access(request=self.request, action=AccessLogEntry.Action.VIEW, obj=self.object)
        return super().get_context_data(**kwargs)

    def get_fields(self):
        return ["at", "user", "action", "content_type", "object_id", "object_repr", "detail", "ip_address"]


class AccessLogViewSet(ModelViewSet):
    """Listing and inspect only: there is no add, edit, delete, copy, history or usage view."""

    model = AccessLogEntry
    icon = "history"
    menu_label = "Access log"
    menu_order = 950
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = AccessLogIndexView
    inspect_view_class = AccessLogInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        DateColumn("at", label="When"),
        "user",
        "action",
        RecordTypeColumn("content_type", label="Record type"),
        "object_repr",
        "detail",
    ]
    filterset_class = AccessLogFilterSet
    search_fields = ["object_repr", "detail"]
    search_backend_name = None
    ordering = ["-at", "-pk"]
    list_export = ["at", "user", "action", "content_type", "object_id", "object_repr", "detail", "ip_address"]
    export_filename = "access-log"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        # Built here, not filtered from ModelViewSet's: its add view would need a form.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def register_admin_url_finder(self):
        """No edit view to find: the generic finder would point at one."""


class BankHolidayViewSet(ModelViewSet):
    """Host staff add next year's bank holidays (gov.uk/bank-holidays); working-day deadlines read them."""

    model = BankHoliday
    icon = "date"
    menu_label = "Bank holidays"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["name", "date"]
    ordering = ["-date"]
    panels = [FieldPanel("date"), FieldPanel("name")]


class FailedTaskPermissionPolicy(ModelPermissionPolicy):
    """Viewing, and marking resolved (the only change): nobody adds or deletes a failure record."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class FailedTaskFilterSet(WagtailFilterSet):
    resolved = django_filters.BooleanFilter(label="Resolved")
    failed_at = django_filters.DateFromToRangeFilter(label="Between", widget=DateRangePickerWidget)

    class Meta:
        model = FailedTask
        fields = ["resolved", "task_name", "failed_at"]


class FailedTaskViewSet(ModelViewSet):
    """Background tasks that gave up after their retries (cms.tasks.ReliableTask).

    Read-only but for the resolved flag, which host staff tick once they have dealt
    with it (sent the email by hand, say); the edit is in the record's history.
    """

    model = FailedTask
    icon = "warning"
    menu_label = "Failed background tasks"
    add_to_settings_menu = True
    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        DateColumn("failed_at", label="Failed"),
        "task_name",
        "exception_type",
        "retries",
        "resolved",
    ]
    filterset_class = FailedTaskFilterSet
    search_fields = ["task_name", "exception_type"]
    search_backend_name = None
    ordering = ["-failed_at", "-pk"]
    panels = [FieldPanel("resolved")]
    inspect_view_fields = [
        "task_name",
        "task_id",
        "arguments",
        "exception_type",
        "exception_message",
        "retries",
        "failed_at",
        "resolved",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None, delete_url_name=None, usage_url_name=None, **kwargs
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
            path("history/<int:pk>/", self.history_view, name="history"),
            # The history page reverses its results view (which sorts and pages the entries).
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


access_log_viewset = AccessLogViewSet("access_log")
failed_task_viewset = FailedTaskViewSet("failed_tasks")
bank_holiday_viewset = BankHolidayViewSet("bank_holidays")
