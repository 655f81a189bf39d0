"""Admin screens of safeguarding concerns.

Two viewsets under the Safeguarding menu:

* ``concern_reports``: "Report a concern" and "Your reports", for anyone who may report;
* ``concerns``: the DSLs' listing, inspect page and step views.

The DSL viewset exposes no edit, delete, copy, history or usage view: every change
is a step with its own service (and audit row), and a concern is never deleted
from the admin. Every lookup goes through :func:`safeguarding.permissions.concerns_for`
(the registered :class:`~safeguarding.concern_policy.ConcernPermissionPolicy`
answers from it too), so a listing, search, export or URL reaches no concern
for anyone but a DSL. Wagtail's listing and inspect views let in any holder of
add, change, delete *or* view; these ask for view, since every login may add.
"""

from __future__ import annotations

from functools import partial

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from cms.access_log import record_access
from cms.models import AccessLogEntry
from members.admin_views import FormulaSafeExportMixin
from members.models import Partnership

from ..concern_views import STEP_LABELS, STEP_VIEWS, MyReportsView, ReportConcernView
from ..enums import ConcernCategory, ConcernKind, ConcernStatus
from ..models import Concern, Escalation
from ..permissions import concerns_for
from ..selectors import CONCERN_AGES, concern_age_q
from ..workflow import allowed_steps

EXPORT_PERMISSION = "safeguarding.export_concern"


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


# Reporting ------------------------------------------------------------------------------


class ReportConcernViewSet(ViewSet):
    menu_label = "Report a concern"
    icon = "warning"
    url_prefix = "report-concern"
    menu_order = 100

    @cached_property
    def menu_item_class(self):
        return partial(PermissionMenuItem, permission="safeguarding.add_concern")

    def get_urlpatterns(self):
        return [
            path("", ReportConcernView.as_view(), name="report"),
            path("yours/", MyReportsView.as_view(), name="mine"),
        ]


# The DSLs' listing ------------------------------------------------------------------------


class ConcernFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(queryset=Partnership.objects.all(), label="MNVP")
    status = django_filters.ChoiceFilter(choices=ConcernStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ConcernKind.choices)
    immediate_risk = django_filters.BooleanFilter(label="Immediate risk")
    unacknowledged = django_filters.BooleanFilter(
        label="Not acknowledged yet", field_name="acknowledged_at", lookup_expr="isnull"
    )
    open = django_filters.BooleanFilter(label="Open", method="filter_open")
    age = django_filters.ChoiceFilter(
        label="Reported", choices=[(key, label) for key, label, *_ in CONCERN_AGES], method="filter_age"
    )

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.filter(status=ConcernStatus.CLOSED)

    def filter_age(self, queryset, name, value):
        return queryset.filter(concern_age_q(value))

    class Meta:
        model = Concern
        fields = ["partnership", "status", "kind", "immediate_risk"]


class ConcernIndexView(FormulaSafeExportMixin, generic.IndexView):
    """Every concern, for DSLs. Search looks at plain columns only (see ``search_queryset``)."""

    any_permission_required = None
    permission_required = "view"

    def dispatch(self, request, *args, **kwargs):
        if self.is_export:
            if not request.user.has_perm(EXPORT_PERMISSION):
                raise PermissionDenied
            if self.user_has_permission("view"):
                filters = {k: v for k, v in request.GET.items() if k not in ("export", "q")}
                detail = f"{request.GET['export']} export of the concern list; filters {filters}"
                record_access(
                    request=request, action=AccessLogEntry.Action.EXPORT, model=Concern, detail=detail
                )
        elif self.search_query and self.user_has_permission("view"):
            record_access(
                request=request,
                action=AccessLogEntry.Action.SEARCH,
                model=Concern,
                detail="searched the list",
            )
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return concerns_for(self.request.user).select_related("partnership")

    def search_queryset(self, queryset):
        """Reference numbers, places and activities; ``#12`` or ``12`` finds concern 12.

        The narratives are encrypted, so the database cannot search them, and this
        search does not try: a DSL finds a concern by its MNVP, reference or filters.
        """
        if not self.is_searching:
            return queryset
        term = self.search_query.strip()
        query = (
            Q(where__icontains=term)
            | Q(activity__icontains=term)
            | Q(lado_reference__icontains=term)
            | Q(pk__in=Escalation.objects.filter(reference__icontains=term).values("concern"))
        )
        number = term.lstrip("#")
        if number.isdigit():
            query |= Q(pk=int(number))
        return queryset.filter(query)

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("safeguarding.add_concern"):
            url = reverse("concern_reports:report")
            buttons.append(HeaderButton("Report a concern", url=url, icon_name="plus"))
        return buttons

    @cached_property
    def show_export_buttons(self):
        return super().show_export_buttons and self.request.user.has_perm(EXPORT_PERMISSION)


class ConcernInspectView(generic.InspectView):
    """Everything about one concern, its chronology and escalations; each view is logged."""

    any_permission_required = None
    permission_required = "view"
    template_name = "safeguarding/admin/concern_inspect.html"

    def get_object(self, queryset=None):
        queryset = concerns_for(self.request.user).select_related(
            "partnership", "reported_by", "acknowledged_by", "closed_by", "subject_person"
        )
        return get_object_or_404(queryset, pk=self.pk)

    def get(self, request, *args, **kwargs):
        record_access(request=request, action=AccessLogEntry.Action.VIEW, obj=self.object, detail="inspect")
        return super().get(request, *args, **kwargs)

    def get_categories_display_value(self):
        return ", ".join(ConcernCategory(c).label for c in self.object.categories) or "—"

    def get_context_data(self, **kwargs):
        can_change = self.user_has_permission("change")
        steps = allowed_steps(self.object) if can_change else []
        return super().get_context_data(
            entries=self.object.entries.select_related("by"),
            escalations=self.object.escalations.select_related("by"),
            steps=[(reverse(f"concerns:{step}", args=[self.object.pk]), STEP_LABELS[step]) for step in steps],
            **kwargs,
        )


class ConcernViewSet(ModelViewSet):
    model = Concern
    icon = "warning"
    menu_label = "Concerns"
    menu_order = 110
    index_view_class = ConcernIndexView
    inspect_view_class = ConcernInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ConcernFilterSet
    # No search backend: the ORM filter of ConcernIndexView.search_queryset, over plain columns.
    search_backend_name = None
    search_fields = ["where"]
    export_formats = ["csv", "xlsx"]
    export_filename = "safeguarding-concerns"
    # No narrative in a file: spreadsheets travel (email, downloads folders), and the
    # narratives stay in the encrypted store; each concern's inspect page has them.
    list_export = [
        "pk",
        "kind",
        "partnership",
        "reported_at",
        "about",
        "immediate_risk",
        "status",
        "categories",
        "acknowledged_at",
        "lado_referred_at",
        "lado_reference",
        "closed_at",
    ]
    export_headings = {"pk": "Reference", "partnership": "MNVP"}
    list_display = [
        TitleColumn("title", label="Concern", accessor=str, url_name="concerns:inspect"),
        Column("about", label="About", accessor="get_about_display"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        BooleanColumn("immediate_risk", label="Immediate risk"),
        DateColumn("reported_at", label="Reported"),
        DateColumn("acknowledged_at", label="Acknowledged"),
    ]
    inspect_view_fields = [
        "kind",
        "partnership",
        "reported_by",
        "reported_at",
        "about",
        "who_described",
        "where",
        "when",
        "activity",
        "linked_activity",
        "what_happened",
        "immediate_risk",
        "action_taken",
        "subject_person",
        "status",
        "categories",
        "acknowledged_at",
        "acknowledged_by",
        "lado_referred_at",
        "lado_reference",
        "debrief_offered",
        "debrief_notes",
        "outcome",
        "closed_at",
        "closed_by",
    ]

    @cached_property
    def menu_item_class(self):
        return partial(PermissionMenuItem, permission="safeguarding.view_concern")

    def get_common_view_kwargs(self, **kwargs):
        # No generic add, edit, delete, history or usage views to link to.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "history_url_name": None,
            "usage_url_name": None,
        }

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *[path(f"{step}/<int:pk>/", view.as_view(), name=str(step)) for step, view in STEP_VIEWS.items()],
        ]

    @property
    def url_finder_class(self):
        """A concern is worked on its own page: "edit" links (usage listings, history) lead there."""
        return type(
            "ConcernAdminURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")}
        )
