"""Admin screens for the training catalogue, role requirements and training records."""

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from ..admin_views import (
    CalendarDateColumn,
    FormulaSafeExportMixin,
    ScopedChooserViewSet,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from ..enums import ImportKind
from ..filters import TrainingRecordFilterSet
from ..models import Course, Person, RoleRequirement, TrainingRecord
from ..services.training import record_training
from ..training_views import CertificateDownloadView, SessionRegisterView
from .dbs import DBSCheckViewSet
from .people import SpreadsheetImportViewSetMixin


class CatalogueIndexView(FormulaSafeExportMixin, generic.IndexView):
    """Host-wide lists (not an MNVP's): model permissions alone decide who sees them."""


class CourseViewSet(ModelViewSet):
    model = Course
    icon = "doc-full"
    menu_label = "Courses"
    index_view_class = CatalogueIndexView
    inspect_view_enabled = True
    list_display = ["name", "provider", "validity_months", "certificate_required", "active"]
    list_filter = ["active", "certificate_required"]
    search_fields = ["name", "provider"]
    search_backend_name = None
    list_export = ["name", "provider", "validity_months", "certificate_required", "active"]
    export_filename = "courses"
    panels = [
        FieldPanel("name"),
        FieldPanel("provider"),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("validity_months"), FieldPanel("certificate_required"), FieldPanel("active")]
        ),
    ]


class CoursesColumn(Column):
    def get_value(self, instance):
        return ", ".join(course.name for course in instance.courses.all()) or "—"


class RoleRequirementIndexView(CatalogueIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("courses")


class RoleRequirementViewSet(ModelViewSet):
    model = RoleRequirement
    icon = "list-ul"
    menu_label = "Role requirements"
    index_view_class = RoleRequirementIndexView
    inspect_view_enabled = True
    list_display = ["role", CoursesColumn("courses", label="Courses"), "dbs_level"]
    panels = [
        FieldPanel("role"),
        FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
        FieldPanel("dbs_level"),
    ]


class PersonChooserViewSet(ScopedChooserViewSet):
    """Pick a person from the MNVPs the user may change (not a list of everyone)."""

    model = Person
    icon = "user"
    choose_one_text = "Choose a person"
    choose_another_text = "Choose another person"
    search_fields = ["first_name", "last_name", "email"]
    url_filter_parameters = []


person_chooser_viewset = PersonChooserViewSet("person_chooser")


class TrainingRecordIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "course")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            url = reverse("training_records:session")
            buttons.append(HeaderButton("Record a session…", url=url, icon_name="tick"))
        return buttons


class TrainingRecordCreateView(generic.CreateView):
    def save_instance(self):
        record = self.form.save(commit=False)
        return record_training(
            person=record.person,
            course=record.course,
            completed_on=record.completed_on,
            certificate=record.certificate or None,
            notes=record.notes,
            acting_user=self.request.user,
        )


class TrainingRecordInspectView(ScopedInspectView):
    template_name = "members/admin/training_record_inspect.html"

    def get_fields(self):
        return ["person", "course", "completed_on", "expires_on", "notes", "recorded_by", "recorded_at"]


class TrainingRecordViewSet(SpreadsheetImportViewSetMixin, ScopedModelViewSet):
    model = TrainingRecord
    import_kind = ImportKind.TRAINING
    icon = "tick"
    menu_label = "Training records"
    index_view_class = TrainingRecordIndexView
    add_view_class = TrainingRecordCreateView
    inspect_view_class = TrainingRecordInspectView
    list_display = [
        "person",
        "course",
        CalendarDateColumn("completed_on", label="Completed"),
        CalendarDateColumn("expires_on", label="Expires"),
    ]
    filterset_class = TrainingRecordFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__email", "course__name"]
    search_backend_name = None
    ordering = ["-completed_on"]
    list_export = ["person.email", "person", "course", "completed_on", "expires_on", "notes"]
    export_headings = {"person.email": "Email", "person": "Name", "completed_on": "Completed on"}
    export_filename = "training-records"
    panels = [
        FieldPanel("person", widget=person_chooser_viewset.widget_class),
        FieldPanel("course"),
        FieldPanel("completed_on"),
        FieldPanel("certificate", widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})),
        FieldPanel("notes"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("certificate/<int:pk>/", CertificateDownloadView.as_view(), name="certificate"),
            path("session/", SessionRegisterView.as_view(), name="session"),
        ]


class TrainingViewSetGroup(ViewSetGroup):
    menu_label = "Training & DBS"
    menu_icon = "tick-inverse"
    menu_order = 150
    items = (
        TrainingRecordViewSet("training_records"),
        DBSCheckViewSet("dbs_checks"),
        CourseViewSet("courses"),
        RoleRequirementViewSet("role_requirements"),
    )
