"""Admin screens for committees and the meetings at which MNVPs are represented.

Committees are the host's list (host staff edit; leads and ICB commissioners read
those of their MNVPs and the host-level ones). Meetings are scoped to the user's
MNVPs (:class:`members.admin_views.ScopedModelViewSet`): a lead records and edits
their own MNVP's (another's answer 404), an ICB commissioner reads those they
commission. Who attended is recorded on the meeting's page through its actions
(:mod:`workplans.meeting_views`), since attendance raises involvement payments.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic

from cms.forms import DateInput, add_service_errors
from members.admin_views import (
    CalendarDateColumn,
    ScopedAdminModelForm,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from members.filters import partnerships_for_request
from members.scoping import user_can

from ..enums import CommitteeKind
from ..meeting_views import AddAttendanceView, EditAttendanceView, RemoveAttendanceView
from ..models import Committee, Meeting
from ..services.meetings import attendance_rows, delete_meeting, save_meeting

WORKPLANS_MENU_HOOK = "register_workplans_menu_item"


# Committees ---------------------------------------------------------------------------------


class CommitteeIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership")


class HostOrMNVPColumn(Column):
    def get_value(self, instance):
        return instance.partnership or "Host (every MNVP)"


class CommitteeViewSet(ScopedModelViewSet):
    model = Committee
    icon = "group"
    menu_label = "Committees"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 530
    index_view_class = CommitteeIndexView
    list_display = [
        "name",
        HostOrMNVPColumn("partnership", label="MNVP"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        "organisation",
        BooleanColumn("service_user_needed_for_quorum", label="Service user needed for quorum"),
        "expected_per_year",
        BooleanColumn("active", label="Active"),
    ]
    list_filter = ["kind", "service_user_needed_for_quorum", "active"]
    search_fields = ["name", "organisation"]
    search_backend_name = None
    list_export = [
        "name",
        "partnership",
        "kind",
        "organisation",
        "service_user_needed_for_quorum",
        "expected_per_year",
        "active",
    ]
    export_headings = {"partnership": "MNVP (empty: host)", "expected_per_year": "Meetings a year"}
    export_filename = "committees"
    inspect_view_fields = [
        "name",
        "partnership",
        "kind",
        "organisation",
        "service_user_needed_for_quorum",
        "expected_per_year",
        "active",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            FieldRowPanel([FieldPanel("partnership"), FieldPanel("organisation")]),
            FieldRowPanel([FieldPanel("service_user_needed_for_quorum"), FieldPanel("expected_per_year")]),
            FieldPanel("active"),
        ],
        base_form_class=ScopedAdminModelForm,
    )


# Meetings -----------------------------------------------------------------------------------


class MeetingFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    committee__kind = django_filters.ChoiceFilter(label="Committee kind", choices=CommitteeKind.choices)
    quorate = django_filters.BooleanFilter()
    held_from = django_filters.DateFilter(
        label="Held on or after",
        field_name="held_on",
        lookup_expr="gte",
        widget=DateInput(),
    )

    class Meta:
        model = Meeting
        fields = ["partnership", "committee__kind", "quorate", "held_from"]


class MeetingForm(ScopedAdminModelForm):
    """Milestones are shown with their MNVP; the service refuses another MNVP's committee or milestone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "quorate" in self.fields:
            # "Not known" is a valid answer (the column is nullable; the field lacks blank=True).
            self.fields["quorate"].required = False
        if "milestones" in self.fields:
            field = self.fields["milestones"]
            field.queryset = field.queryset.select_related("objective__workplan__partnership")
            field.label_from_instance = lambda m: f"{m.objective.workplan.partnership}: {m}"
        if "committee" in self.fields:
            field = self.fields["committee"]
            field.queryset = field.queryset.filter(active=True) | field.queryset.filter(
                pk=getattr(self.instance, "committee_id", None)
            )
            field.label_from_instance = lambda c: f"{c} ({c.partnership or 'host'})"
            field.queryset = field.queryset.select_related("partnership")


class MeetingSaveMixin:
    def save_instance(self):
        return save_meeting(
            meeting=self.form.save(commit=False),
            acting_user=self.request.user,
            milestones=self.form.cleaned_data.get("milestones"),
            themes=self.form.cleaned_data.get("themes"),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # The service refused (another MNVP's committee, a date with payments raised).
            add_service_errors(form, error)
            self.produced_error_message = " ".join(form.non_field_errors()) or self.get_error_message()
            return self.form_invalid(form)


class MeetingCreateView(MeetingSaveMixin, generic.CreateView):
    pass


class MeetingEditView(MeetingSaveMixin, ScopedEditView):
    pass


class MeetingDeleteView(ScopedDeleteView):
    """Deleting a meeting cancels the payments its attendances raised (refused once one is paid)."""

    def delete_action(self):
        delete_meeting(meeting=self.object, acting_user=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(self.get_success_url())


class QuorateColumn(Column):
    def get_value(self, instance):
        return {True: "Yes", False: "No"}.get(instance.quorate, "Not known")


class MeetingIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership", "committee")


class MeetingInspectView(ScopedInspectView):
    template_name = "workplans/admin/meeting_inspect.html"

    def get_fields(self):
        return ["partnership", "committee", "held_on", "quorate", "raised", "influenced", "created_by"]

    def get_context_data(self, **kwargs):
        meeting, user = self.object, self.request.user
        may_change = user_can(user, "change", meeting)
        sees_people = user.has_perm("workplans.view_meetingattendance")
        rows = attendance_rows(meeting) if sees_people else None
        return super().get_context_data(
            meeting=meeting,
            attendance_rows=rows,
            attendance_count=meeting.attendances.count() if rows is None else len(rows),
            milestones=list(meeting.milestones.all()),
            themes=list(meeting.themes.all()),
            may_add_attendance=may_change and user.has_perm("workplans.add_meetingattendance"),
            may_change_attendance=may_change and user.has_perm("workplans.change_meetingattendance"),
            **kwargs,
        )


class MeetingViewSet(ScopedModelViewSet):
    model = Meeting
    icon = "group"
    menu_label = "Meetings"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 540
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    edit_view_class = MeetingEditView
    delete_view_class = MeetingDeleteView
    inspect_view_class = MeetingInspectView
    list_display = [
        Column("committee", label="Committee", accessor="committee"),
        "partnership",
        CalendarDateColumn("held_on", label="Held on"),
        QuorateColumn("quorate", label="Quorate"),
    ]
    filterset_class = MeetingFilterSet
    search_fields = ["committee__name", "raised", "influenced"]
    search_backend_name = None
    ordering = ["-held_on"]
    list_export = ["partnership", "committee", "held_on", "quorate", "raised", "influenced"]
    export_headings = {
        "partnership": "MNVP",
        "held_on": "Held on",
        "raised": "What the MNVP raised",
        "influenced": "Decisions influenced",
    }
    export_filename = "meetings"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("partnership"), FieldPanel("committee")]),
            FieldRowPanel([FieldPanel("held_on"), FieldPanel("quorate")]),
            FieldPanel("raised"),
            FieldPanel("influenced"),
            FieldPanel("milestones"),
            FieldPanel("themes"),
        ],
        base_form_class=MeetingForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/attendance/add/", AddAttendanceView.as_view(), name="add_attendance"),
            path(
                "<int:pk>/attendance/<int:attendance_pk>/edit/",
                EditAttendanceView.as_view(),
                name="edit_attendance",
            ),
            path(
                "<int:pk>/attendance/<int:attendance_pk>/remove/",
                RemoveAttendanceView.as_view(),
                name="remove_attendance",
            ),
        ]


committee_viewset = CommitteeViewSet("committees")
meeting_viewset = MeetingViewSet("meetings")
