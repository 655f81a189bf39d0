"""Admin screens of grievances and complaints: listing, inspect, open, correct, and the steps.

Every queryset and object lookup here comes from
:func:`safeguarding.permissions.cases_for`: a case the user may not see is absent
from the listing and its search, and its URLs answer 404. There is no export (the
issue restricts exports of cases to DSLs, who see no grievances): ``list_export``
is empty and ``?export=`` is refused. Search reads only plain columns (the
reference and the raiser's name), never an encrypted one. Reads of the listing and
of each case are written to the access log.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from cms.antispam import client_ip
from cms.forms import add_service_errors
from members.models import Partnership

from ..case_forms import CaseAdminForm
from ..case_views import AssignHandlerView, CaseDocumentDownloadView, CaseDocumentUploadView, step_view
from ..case_workflow import STEP_LABELS, CaseStep, allowed_steps
from ..enums import CaseKind, CaseStage
from ..models import Case
from ..permissions import cases_for
from ..services import cases as services


def overdue_q(now=None) -> Q:
    return Q(stage_due_at__lt=now or timezone.now()) & ~Q(stage=CaseStage.CLOSED)


def partnerships_with_visible_cases(request):
    if request is None:
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=cases_for(request.user).values("partnership")).order_by("name")


class CaseFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)
    stage = django_filters.ChoiceFilter(choices=CaseStage.choices)
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_with_visible_cases)
    overdue = django_filters.BooleanFilter(label="Overdue", method="filter_overdue")

    class Meta:
        model = Case
        fields = ["kind", "stage", "partnership", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


class DueColumn(Column):
    def get_value(self, instance):
        if not instance.stage_due_at or instance.stage == CaseStage.CLOSED:
            return "—"
        day = timezone.localtime(instance.stage_due_at)
        text = f"{day.day} {day:%b %Y}"
        return f"{text} — overdue" if instance.stage_due_at < timezone.now() else text


class CaseObjectMixin:
    """The object comes from ``cases_for(user)``: 404 outside it, 403 without the view's action."""

    object_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        if not cases_for(user, "view").filter(pk=obj.pk).exists():
            raise Http404
        if self.object_action != "view" and not self.permission_policy.user_has_permission_for_instance(
            user, self.object_action, obj
        ):
            raise PermissionDenied
        return obj


class CaseIndexView(generic.IndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False  # belt and braces: dispatch refuses an export outright

    def dispatch(self, request, *args, **kwargs):
        if "export" in request.GET:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return cases_for(self.request.user, "view").select_related("partnership", "handler")

    @cached_property
    def show_export_buttons(self):
        return False

    def get_edit_url(self, instance):
        return None  # the title opens the inspect view, whose read is logged

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.record_case_listing(
            acting_user=self.request.user,
            rows=context.get("items_count", 0),
            searched=bool(self.is_searching or self.is_filtering),
            ip_address=client_ip(self.request) or None,
        )
        return context


class CaseCreateView(generic.CreateView):
    def save_instance(self):
        return services.open_case(
            case=self.form.save(commit=False),
            acting_user=self.request.user,
            ip_address=client_ip(self.request) or None,
        )

    def get_success_url(self):
        return self.get_inspect_url() or super().get_success_url()

    def get_inspect_url(self):
        return reverse("cases:inspect", args=[self.object.pk])

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            return apply_errors(self, form, error)


def apply_errors(view, form, error: ValidationError):
    add_service_errors(form, error)
    return view.form_invalid(form)


class CaseEditView(CaseObjectMixin, generic.EditView):
    object_action = "change"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The form shows the summary: a read of the narrative.
        services.record_case_view(
            case=self.object, acting_user=request.user, ip_address=client_ip(request) or None
        )
        return response

    def save_instance(self):
        changed = [name for name in self.form.changed_data if name in services.EDITABLE_FIELDS]
        return services.update_case(
            case=self.form.save(commit=False),
            acting_user=self.request.user,
            changed=changed,
            ip_address=client_ip(self.request) or None,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            return apply_errors(self, form, error)


class CaseInspectView(CaseObjectMixin, generic.InspectView):
    template_name = "safeguarding/admin/case_inspect.html"

    def get_fields(self):
        return [
            "reference",
            "kind",
            "partnership",
            "received_at",
            "raised_by_name",
            "raised_by_contact",
            "raised_by_person",
            "subject_person",
            "subject_user",
            "handler",
            "stage",
            "stage_due_at",
            "summary",
            "outcome",
            "outcome_reasons",
            "outcome_at",
            "appeal_reasons",
            "appeal_outcome",
            "appeal_outcome_reasons",
            "closed_at",
        ]

    def get(self, request, *args, **kwargs):
        services.record_case_view(
            case=self.object, acting_user=request.user, ip_address=client_ip(request) or None
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case, user, policy = self.object, self.request.user, self.permission_policy
        can_change = policy.user_has_permission_for_instance(user, "change", case)
        steps = [(step, STEP_LABELS[step]) for step in allowed_steps(case.stage)] if can_change else []
        return super().get_context_data(
            stage_changes=case.stage_changes.select_related("by"),
            documents=case.documents.select_related("uploaded_by"),
            steps=steps,
            can_change=can_change,
            can_assign=case.stage != CaseStage.CLOSED
            and policy.user_has_permission_for_instance(user, "assign", case),
            **kwargs,
        )


class CaseDeleteView(CaseObjectMixin, generic.DeleteView):
    object_action = "delete"  # nobody: the policy refuses deleting a case


class CaseHistoryView(CaseObjectMixin, history.HistoryView):
    pass


class CaseUsageView(CaseObjectMixin, usage.UsageView):
    pass


class CaseViewSet(ModelViewSet):
    model = Case
    icon = "folder-open-inverse"
    menu_label = "Grievances & complaints"
    menu_name = "grievances-complaints"
    menu_order = 310
    add_to_admin_menu = True
    index_view_class = CaseIndexView
    add_view_class = CaseCreateView
    edit_view_class = CaseEditView
    inspect_view_class = CaseInspectView
    delete_view_class = CaseDeleteView
    history_view_class = CaseHistoryView
    usage_view_class = CaseUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = []
    export_formats = []
    list_display = [
        "reference",
        Column("kind", label="Kind", accessor="get_kind_display"),
        "partnership",
        StatusTagColumn("stage", label="Stage", accessor="get_stage_display", primary=False),
        DueColumn("stage_due_at", label="Due"),
        Column("handler", label="Handler"),
    ]
    filterset_class = CaseFilterSet
    # Plain columns only: an encrypted column holds ciphertext, and searching it would
    # find nothing (or, worse, invite storing narratives in plain text).
    search_fields = ["reference", "raised_by_name"]
    search_backend_name = None
    ordering = ["-received_at"]

    @property
    def panels(self):
        # members' person chooser (looked up when the forms are built, as DBS checks do):
        # a modal search, not a select of every person.
        from members.viewsets.training import person_chooser_viewset

        person = person_chooser_viewset.widget_class
        return [
            FieldRowPanel([FieldPanel("kind"), FieldPanel("partnership", heading="MNVP")]),
            FieldPanel("received_at"),
            MultiFieldPanel(
                [
                    FieldPanel("raised_by_name"),
                    FieldPanel("raised_by_contact"),
                    FieldPanel("raised_by_person", widget=person),
                ],
                heading="Who raised it",
            ),
            MultiFieldPanel(
                [FieldPanel("subject_person", widget=person), FieldPanel("subject_user")],
                heading="Who a complaint is about",
            ),
            FieldPanel("summary"),
        ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=CaseAdminForm).bind_to_model(self.model)

    def get_urlpatterns(self):
        steps = [
            path(f"<int:pk>/{step.value.replace('_', '-')}/", step_view(step), name=step.value)
            for step in CaseStep
        ]
        return [
            *super().get_urlpatterns(),
            *steps,
            path("<int:pk>/assign/", AssignHandlerView.as_view(), name="assign"),
            path("<int:pk>/documents/add/", CaseDocumentUploadView.as_view(), name="attach_document"),
            path(
                "<int:pk>/documents/<int:document_pk>/",
                CaseDocumentDownloadView.as_view(),
                name="document",
            ),
        ]


case_viewset = CaseViewSet("cases")
