"""Admin screens for workplans, objectives and milestones, each scoped to the user's MNVPs.

Host staff write workplans, objectives and milestones. Leads read their own MNVP's,
post progress updates on its milestones and record the MNVP's agreement; ICB
commissioners read those they commission and record the ICB's sign-off. A
milestone's status is not edited directly: it changes through updates, so its
history is complete (:func:`workplans.services.plans.post_milestone_update`).
"""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.widgets import HeaderButton

from members.admin_views import (
    CalendarDateColumn,
    ScopedAdminModelForm,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from members.filters import partnerships_for_request
from members.models import User
from members.scoping import user_can

from ..enums import MilestoneStatus, SignOffStage, Theme
from ..models import Milestone, Objective, Workplan
from ..plan_views import CopyWorkplanView, PostMilestoneUpdateView, SignOffWorkplanView, UpdateAttachmentView
from ..progress import Rag, rag_case, rag_for
from ..services.plans import (
    UPDATE_PERMISSION,
    next_stage,
    user_may_copy,
    user_may_post_update,
    user_may_sign_off,
)

# Filters ----------------------------------------------------------------------------------


class WorkplanFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    year = django_filters.NumberFilter(label="Financial year starting")
    stage = django_filters.ChoiceFilter(choices=SignOffStage.choices)

    class Meta:
        model = Workplan
        fields = ["partnership", "year", "stage"]


class ObjectiveFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, field_name="workplan__partnership"
    )
    year = django_filters.NumberFilter(label="Financial year starting", field_name="workplan__year")
    theme = django_filters.ChoiceFilter(choices=Theme.choices)

    class Meta:
        model = Objective
        fields = ["partnership", "year", "theme"]


class MilestoneFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, field_name="objective__workplan__partnership"
    )
    year = django_filters.NumberFilter(
        label="Financial year starting", field_name="objective__workplan__year"
    )
    status = django_filters.ChoiceFilter(choices=MilestoneStatus.choices)
    overdue = django_filters.BooleanFilter(label="Overdue", method="filter_overdue")
    rag = django_filters.ChoiceFilter(label="RAG", choices=Rag.choices, method="filter_rag")
    # The dashboard's "to update": open, and due within the days (overdue ones included).
    due_within = django_filters.ChoiceFilter(
        label="Open and due within",
        choices=[("30", "the next 30 days (or overdue)")],
        method="filter_due_within",
    )

    class Meta:
        model = Milestone
        fields = ["partnership", "year", "status", "overdue", "rag", "due_within"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_rag(self, queryset, name, value):
        # The same rule as the progress report and the dashboard (workplans.progress.rag_case).
        return queryset.alias(rag_rating=rag_case(timezone.localdate())).filter(rag_rating=value)

    def filter_due_within(self, queryset, name, value):
        latest = timezone.localdate() + datetime.timedelta(days=int(value))
        return queryset.open().filter(due_on__lte=latest)


# Workplans --------------------------------------------------------------------------------


class WorkplanIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership")


class WorkplanInspectView(ScopedInspectView):
    """The workplan: objectives by theme, their milestones with status and RAG, sign-off history."""

    template_name = "workplans/admin/workplan_inspect.html"

    def get_fields(self):
        return ["partnership", "year", "stage", "funding_agreed", "strategy", "copied_from"]

    def get_year_display_value(self):
        return self.object.year_label

    @cached_property
    def header_buttons(self):
        user = self.request.user
        buttons = []
        stage = next_stage(self.object.stage)
        if stage and user_may_sign_off(user, self.object):
            buttons.append(
                HeaderButton(
                    f"Sign off: {SignOffStage(stage).label.lower()}",
                    url=reverse("workplans:sign_off", args=[self.object.pk]),
                    icon_name="tick",
                )
            )
        if user_may_copy(user, self.object):
            buttons.append(
                HeaderButton(
                    "Copy to a new year",
                    url=reverse("workplans:copy", args=[self.object.pk]),
                    icon_name="copy",
                )
            )
        return buttons

    def themes(self):
        """The workplan's objectives, grouped by theme in the themes' own order."""
        today = timezone.localdate()
        milestones = Milestone.objects.select_related("owner").order_by("due_on", "pk")
        objectives = self.object.objectives.prefetch_related(Prefetch("milestones", queryset=milestones))
        by_theme = {value: [] for value in Theme.values}
        for objective in objectives:
            objective.milestone_rows = [
                (milestone, Rag(rag_for(milestone.status, milestone.due_on, today)))
                for milestone in objective.milestones.all()
            ]
            by_theme[objective.theme].append(objective)
        return [(Theme(theme).label, objectives) for theme, objectives in by_theme.items() if objectives]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            themes=self.themes(),
            sign_offs=self.object.sign_offs.select_related("by"),
            # Every milestone of a workplan belongs to its MNVP: one answer for all of them.
            can_post_updates=user.has_perm(UPDATE_PERMISSION) and user_can(user, "add", self.object),
            **kwargs,
        )


class WorkplanViewSet(ScopedModelViewSet):
    model = Workplan
    icon = "list-ul"
    menu_label = "Workplans"
    menu_order = 100
    index_view_class = WorkplanIndexView
    inspect_view_class = WorkplanInspectView
    list_display = [
        "partnership",
        Column("year_label", label="Year", sort_key="year"),
        StatusTagColumn("stage", label="Sign-off", accessor="get_stage_display", primary=False),
        "funding_agreed",
    ]
    filterset_class = WorkplanFilterSet
    search_fields = ["partnership__name", "strategy"]
    search_backend_name = None
    list_export = ["partnership", "year_label", "stage", "funding_agreed", "strategy"]
    export_headings = {"partnership": "MNVP", "year_label": "Year", "stage": "Sign-off stage"}
    export_filename = "workplans"
    panels = [
        FieldRowPanel([FieldPanel("partnership"), FieldPanel("year")]),
        FieldPanel("strategy"),
        FieldPanel("funding_agreed"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("sign-off/<int:pk>/", SignOffWorkplanView.as_view(), name="sign_off"),
            path("copy-to-year/<int:pk>/", CopyWorkplanView.as_view(), name="copy"),
        ]


# Objectives -------------------------------------------------------------------------------


class ObjectiveForm(ScopedAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "workplan" in self.fields:
            field = self.fields["workplan"]
            field.queryset = field.queryset.select_related("partnership")


class ObjectiveIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("workplan__partnership")


class ObjectiveViewSet(ScopedModelViewSet):
    model = Objective
    icon = "pick"
    menu_label = "Objectives"
    menu_order = 110
    index_view_class = ObjectiveIndexView
    list_display = [
        "title",
        StatusTagColumn("theme", accessor="get_theme_display", primary=False),
        "workplan",
    ]
    filterset_class = ObjectiveFilterSet
    search_fields = ["title", "description"]
    search_backend_name = None
    ordering = ["workplan__partnership__name", "-workplan__year", "sort_order", "pk"]
    list_export = ["workplan", "theme", "title", "description"]
    export_filename = "objectives"
    inspect_view_fields = ["workplan", "theme", "title", "description", "sort_order"]
    edit_handler = ObjectList(
        [
            FieldPanel("workplan"),
            FieldPanel("theme"),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("sort_order"),
        ],
        base_form_class=ObjectiveForm,
    )


# Milestones -------------------------------------------------------------------------------


class MilestoneForm(ScopedAdminModelForm):
    """Objectives named with their workplan (titles repeat from year to year); owners by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "objective" in self.fields:
            field = self.fields["objective"]
            field.queryset = field.queryset.select_related("workplan__partnership")
            field.label_from_instance = lambda objective: f"{objective.workplan} — {objective.title}"
        if "owner" in self.fields:
            field = self.fields["owner"]
            field.queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
            field.label_from_instance = lambda user: f"{user.get_full_name() or user.username} ({user.email})"


class RagColumn(Column):
    """The milestone's RAG rating, as a tag coloured by CSS class (no inline style)."""

    cell_template_name = "workplans/admin/tables/rag_cell.html"

    def get_value(self, instance):
        return Rag(rag_for(instance.status, instance.due_on, self.today))

    @cached_property
    def today(self):
        return timezone.localdate()


class MilestoneIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("objective__workplan__partnership", "owner")


class MilestoneInspectView(ScopedInspectView):
    """The milestone, its RAG rating, and every update posted on it (history, never edited)."""

    template_name = "workplans/admin/milestone_inspect.html"

    def get_fields(self):
        return ["objective", "title", "owner", "owner_name", "due_on", "status", "evidence"]

    def get_objective_display_value(self):
        objective = self.object.objective
        return f"{objective.workplan} — {objective.title}"

    @cached_property
    def header_buttons(self):
        if not user_may_post_update(self.request.user, self.object):
            return []
        url = reverse("milestones:post_update", args=[self.object.pk])
        return [HeaderButton("Post an update", url=url, icon_name="comment")]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rag=Rag(rag_for(self.object.status, self.object.due_on, timezone.localdate())),
            updates=self.object.updates.select_related("by"),
            workplan=self.object.objective.workplan,
            **kwargs,
        )


class MilestoneViewSet(ScopedModelViewSet):
    model = Milestone
    icon = "date"
    menu_label = "Milestones"
    menu_order = 120
    index_view_class = MilestoneIndexView
    inspect_view_class = MilestoneInspectView
    list_display = [
        "title",
        Column("objective", label="Workplan", accessor="objective.workplan"),
        CalendarDateColumn("due_on", label="Due"),
        StatusTagColumn("status", accessor="get_status_display", primary=False),
        RagColumn("rag", label="RAG"),
        Column("owner", label="Owner"),
    ]
    filterset_class = MilestoneFilterSet
    search_fields = ["title", "evidence", "owner_name"]
    search_backend_name = None
    list_export = [
        "objective.workplan",
        "objective",
        "title",
        "owner",
        "owner_name",
        "due_on",
        "status",
        "evidence",
    ]
    export_headings = {"objective.workplan": "Workplan", "objective": "Objective"}
    export_filename = "milestones"
    edit_handler = ObjectList(
        [
            FieldPanel("objective"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("owner"), FieldPanel("owner_name")]),
            FieldPanel("due_on"),
            FieldPanel("evidence"),
        ],
        base_form_class=MilestoneForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("post-update/<int:pk>/", PostMilestoneUpdateView.as_view(), name="post_update"),
            path("attachment/<int:pk>/", UpdateAttachmentView.as_view(), name="attachment"),
        ]
