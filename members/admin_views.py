"""Wagtail admin views and viewset base that scope every object to the user's MNVPs.

Wagtail's generic views check model permissions only; the index queryset and the
object lookups of edit, inspect, delete, history, usage and copy are not narrowed
per user (DESIGN.md, "Framework facts"). :class:`ScopedModelViewSet` swaps in
subclasses that are, so a viewset built on it cannot leak another MNVP's rows.

An object outside the user's scope answers 404, so its existence does not leak;
an object inside it that the user may see but not change answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from cms.pagination import DeferredJoinPaginator
from cms.spreadsheets import neutralise_formula

from .permissions import user_may_export, user_may_import
from .scoping import is_scoped_model, scope_queryset


class ScopedAdminModelForm(WagtailAdminModelForm):
    """Narrows every choice of an MNVP-owned record to what the editing user may use.

    Attaching a record to an MNVP is working on that MNVP, so a choice of
    ``Partnership`` is narrowed to the MNVPs the user may change; choices of other
    scoped records to those the user may see.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not is_scoped_model(queryset.model):
                continue
            action = "change" if getattr(queryset.model, "partnership_scope_path", None) == "pk" else "view"
            field.queryset = scope_queryset(queryset, user, action)


class ScopedObjectMixin:
    """Looks the object up as usual, then refuses it unless it is in the user's scope.

    Outside the scope: 404. Inside it but without the view's action: 403.
    """

    object_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        user = self.request.user
        allowed = policy.user_has_permission_for_instance(user, self.object_action, obj)
        if not allowed and not policy.user_has_permission_for_instance(user, "view", obj):
            raise Http404
        if not allowed:
            raise PermissionDenied
        return obj


class CalendarDateColumn(DateColumn):
    """A date as a date: Wagtail's DateColumn says "just now" for any day still to come."""

    cell_template_name = "members/admin/tables/calendar_date_cell.html"


class FormulaSafeExportMixin:
    """Wagtail's CSV export writes cells as they are; neutralise formulas first.

    (Its XLSX export already stores formula-like cells as text, but we apply the
    same rule there so both files read the same.)
    """

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


class ScopedIndexView(FormulaSafeExportMixin, generic.IndexView):
    """The listing of the user's MNVPs' rows; its exports need their own permission."""

    import_url_name = None  # set by viewsets that offer a spreadsheet import
    paginator_class = DeferredJoinPaginator  # deep pages without building every earlier row

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not user_may_export(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return scope_queryset(super().get_base_queryset(), self.request.user, "view")

    @cached_property
    def show_export_buttons(self):
        return super().show_export_buttons and user_may_export(self.request.user, self.model)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.import_url_name and user_may_import(self.request.user, self.model):
            url = reverse(self.import_url_name)
            buttons.append(Button("Import from a spreadsheet", url=url, icon_name="upload", priority=80))
        return buttons


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    object_action = "change"


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    object_action = "delete"


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    object_action = "view"


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    object_action = "view"


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    object_action = "view"


class ScopedCopyView(ScopedObjectMixin, generic.CopyView):
    object_action = "view"


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view is narrowed to the user's MNVPs."""

    index_view_class = ScopedIndexView
    add_view_class = generic.CreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    inspect_view_enabled = True
    copy_view_enabled = False
    export_formats = ["csv", "xlsx"]

    def get_edit_handler(self):
        edit_handler = getattr(self, "edit_handler", None) or ObjectList(self.panels)
        if edit_handler.base_form_class is None:
            edit_handler.base_form_class = ScopedAdminModelForm
        return edit_handler.bind_to_model(self.model)

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if not issubclass(form_class, ScopedAdminModelForm):
            raise TypeError(f"{type(self).__name__}'s form must build on ScopedAdminModelForm")
        return form_class


class ScopedChooseViewMixin:
    chooser_action = "change"

    def get_object_list(self):
        return scope_queryset(super().get_object_list(), self.request.user, self.chooser_action)


class ScopedChooseView(ScopedChooseViewMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class ScopedChosenView(chooser_views.ChosenView):
    chooser_action = "change"

    def get_object(self, pk):
        return scope_queryset(self.model_class.objects.all(), self.request.user, self.chooser_action).get(
            pk=pk
        )


class ScopedChosenMultipleView(chooser_views.ChosenMultipleView):
    chooser_action = "change"

    def get_objects(self, pks):
        return scope_queryset(
            self.model_class.objects.filter(pk__in=pks), self.request.user, self.chooser_action
        )


class ScopedChooserViewSet(ChooserViewSet):
    """A chooser (modal picker) that offers only the objects the user may attach to."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    create_action_label = None
