"""Data requests in the admin: host staff list them by due date, overdue ones highlighted."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic

from cms.forms import ServiceFormMixin
from members.admin_views import CalendarDateColumn, ScopedEditView, ScopedIndexView, ScopedModelViewSet

from ..enums import RequestKind, RequestStatus
from ..models import DataRequest
from ..services import requests as services


class DataRequestFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices)
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    overdue = django_filters.BooleanFilter(label="Overdue", method="filter_overdue")

    class Meta:
        model = DataRequest
        fields = ["kind", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = DataRequest.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class DueColumn(StatusTagColumn):
    """The due date, as a red tag once an open request is past it (one month under UK GDPR)."""

    def __init__(self, *args, **kwargs):
        super().__init__("due_by", label="Due by", primary=self._primary, sort_key="due_by", **kwargs)

    @staticmethod
    def _primary(instance):
        return instance.is_overdue

    def get_value(self, instance):
        text = f"{instance.due_by:%d %b %Y}"
        return f"Overdue: {text}" if instance.is_overdue else text


class DataRequestIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "handled_by")


class ServiceErrorsMixin(ServiceFormMixin):
    """A service's refusal (a ValidationError) becomes form errors, and nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            self.produced_error_message = "The request could not be saved. Please correct the errors below."
            return self.service_failed(form, error)


class DataRequestCreateView(ServiceErrorsMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.record_request(data["person"], data["kind"], data.get("note", ""))


class DataRequestEditView(ServiceErrorsMixin, ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        status = data.get("status")
        # The form has already copied its values onto self.object: compare with what is stored.
        stored = DataRequest.objects.get(pk=self.object.pk).status
        if status == RequestStatus.OPEN or status == stored:
            self.object.note = data.get("note", self.object.note)
            self.object.save(update_fields=["note"])
            return self.object
        return services.close_request(
            self.object, by=self.request.user, status=status, outcome_note=data.get("outcome_note", "")
        )


class DataRequestViewSet(ScopedModelViewSet):
    model = DataRequest
    icon = "clipboard-list"
    menu_label = "Data requests"
    add_to_admin_menu = False
    list_display = [
        "person",
        Column("kind", label="Kind", accessor="get_kind_display"),
        CalendarDateColumn("requested_at", label="Received"),
        DueColumn(),
        Column("status", label="Status", accessor="get_status_display"),
        "handled_by",
    ]
    filterset_class = DataRequestFilterSet
    ordering = ["status", "due_by"]
    search_fields = None
    index_view_class = DataRequestIndexView
    add_view_class = DataRequestCreateView
    edit_view_class = DataRequestEditView
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("person"),
            FieldPanel("kind"),
            FieldPanel("note"),
            FieldPanel("status"),
            FieldPanel("outcome_note"),
        ]
    )
    add_handler = ObjectList([FieldPanel("person"), FieldPanel("kind"), FieldPanel("note")])

    def get_add_view_kwargs(self, **kwargs):
        handler = self.add_handler.bind_to_model(self.model)
        return super().get_add_view_kwargs(panel=handler, form_class=handler.get_form_class(), **kwargs)
