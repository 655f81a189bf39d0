"""Retention in the admin: host staff set each record type's period and action, and read what
each run of the retention job did (never editable)."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import RetentionPolicy, RetentionRun


class OnlyActionsPolicy(ModelPermissionPolicy):
    """Model permissions, but never for actions outside ``allowed`` (record types come from code;
    runs are history)."""

    def __init__(self, model, allowed):
        super().__init__(model)
        self.allowed = tuple(allowed)

    def user_has_permission(self, user, action):
        return action in self.allowed and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return self.model._default_manager.all()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.all()


class RetentionPolicyForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        record = self.instance.record
        action = cleaned.get("action")
        if record is not None and action and action not in record.actions:
            self.add_error("action", f"{record.label} can only be deleted, not anonymised.")
        months = cleaned.get("months")
        if months is not None and months < 1:
            self.add_error("months", "Keep records at least one month.")
        return cleaned


class MeasuredFromColumn(Column):
    def get_value(self, instance):
        record = instance.record
        return record.measured_from if record else "—"


class RetentionPolicyViewSet(ModelViewSet):
    model = RetentionPolicy
    icon = "time"
    menu_label = "Retention policies"
    add_to_admin_menu = False
    list_display = [
        Column("label", label="Record type"),
        Column("months", label="Months kept"),
        MeasuredFromColumn("measured_from", label="Counted from"),
        Column("action", label="Then", accessor="get_action_display"),
        BooleanColumn("active"),
    ]
    search_fields = None
    ordering = ["record_type"]
    inspect_view_enabled = True
    inspect_view_fields = ["record_type", "months", "action", "active", "reason", "updated_at"]
    edit_handler = ObjectList(
        [FieldPanel("months"), FieldPanel("action"), FieldPanel("active"), FieldPanel("reason")],
        base_form_class=RetentionPolicyForm,
    )


class CountsColumn(Column):
    def get_value(self, instance):
        return "; ".join(
            f"{item['label']}: {item['count']} ({item['action']})" for item in instance.counts.values()
        )


class RetentionRunInspectView(generic.InspectView):
    def get_fields(self):
        return ["started_at", "finished_at", "total", "counts", "errors"]

    def get_field_display_value(self, field_name, field):
        if field_name == "counts":
            return CountsColumn("counts").get_value(self.object) or "Nothing was due."
        return super().get_field_display_value(field_name, field)


class RetentionRunViewSet(ModelViewSet):
    model = RetentionRun
    icon = "history"
    menu_label = "Retention runs"
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = RetentionRunInspectView
    list_display = [
        DateColumn("started_at", label="Started"),
        Column("total", label="Records"),
        CountsColumn("counts", label="What was done"),
        Column("errors", label="Errors"),
    ]
    search_fields = None
    ordering = ["-started_at"]
    form_fields = ["errors"]  # never shown: no add or edit view is reachable
