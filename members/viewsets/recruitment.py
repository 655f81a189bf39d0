"""Admin screens for the recruitment pipeline."""

from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import HeaderButton

from ..admin_views import ScopedIndexView, ScopedInspectView, ScopedModelViewSet
from ..filters import ApplicationFilterSet
from ..models import Application, RecruitmentSettings
from ..pipeline import allowed_moves
from ..services.recruitment import open_application
from ..views import AcceptApplicationView, BulkMoveApplicationsView, MoveApplicationView


class DaysInStageColumn(Column):
    """Days in the current stage, flagged when overdue (from the listing's annotation)."""

    def get_value(self, instance):
        if not instance.is_open:
            return "—"
        days = (timezone.now() - instance.stage_changed_at).days
        return f"{days} days — overdue" if instance.overdue else f"{days} days"


class ApplicationIndexView(ScopedIndexView):
    def get_base_queryset(self):
        days = RecruitmentSettings.load().stage_overdue_days
        return super().get_base_queryset().select_related("person", "partnership").with_overdue_flag(days)

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            query = self.request.GET.urlencode()
            buttons.append(
                HeaderButton(
                    "Move several…", url=f"{self.viewset_url('bulk_move')}?{query}", icon_name="arrow-right"
                )
            )
        return buttons

    def viewset_url(self, name):
        return reverse(f"applications:{name}")


class ApplicationCreateView(generic.CreateView):
    def save_instance(self):
        return open_application(application=self.form.save(commit=False), acting_user=self.request.user)


class ApplicationInspectView(ScopedInspectView):
    template_name = "members/admin/application_inspect.html"

    def get_context_data(self, **kwargs):
        can_change = self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", self.object
        )
        moves = allowed_moves(self.object.stage) if can_change else ()
        return super().get_context_data(
            stage_changes=self.object.stage_changes.select_related("changed_by"),
            can_move=bool(moves),
            can_accept="accepted" in moves,
            **kwargs,
        )


class ApplicationViewSet(ScopedModelViewSet):
    model = Application
    icon = "user"
    menu_label = "Applications"
    menu_order = 200
    index_view_class = ApplicationIndexView
    add_view_class = ApplicationCreateView
    inspect_view_class = ApplicationInspectView
    list_display = [
        "person",
        "partnership",
        StatusTagColumn("stage", label="Stage", accessor="get_stage_display", primary=False),
        DaysInStageColumn("days_in_stage", label="In stage"),
        DateColumn("submitted_at", label="Submitted"),
    ]
    filterset_class = ApplicationFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    search_backend_name = None
    list_export = [
        "person",
        "person.email",
        "partnership",
        "stage",
        "stage_changed_at",
        "submitted_at",
        "source",
        "involvement",
        "availability",
        "heard_about",
    ]
    export_headings = {"person.email": "Email"}
    export_filename = "applications"
    inspect_view_fields = [
        "person",
        "partnership",
        "stage",
        "stage_changed_at",
        "submitted_at",
        "source",
        "lived_experience",
        "involvement",
        "availability",
        "heard_about",
        "message",
        "decline_reason",
        "recruiter_notes",
    ]
    panels = [
        FieldPanel("person"),
        FieldPanel("partnership"),
        MultiFieldPanel(
            [
                FieldPanel("lived_experience"),
                FieldPanel("involvement"),
                FieldPanel("availability"),
                FieldPanel("heard_about"),
                FieldPanel("message"),
            ],
            heading="What they told us",
        ),
        FieldPanel("recruiter_notes"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("move/<int:pk>/", MoveApplicationView.as_view(), name="move"),
            path("accept/<int:pk>/", AcceptApplicationView.as_view(), name="accept"),
            path("move-several/", BulkMoveApplicationsView.as_view(), name="bulk_move"),
        ]
