"""Admin screens for engagement activities, "you said, we did" actions and birthing population figures.

Every screen is scoped to the user's MNVPs (:class:`members.admin_views.ScopedModelViewSet`):
host staff reach all of them, a lead their own (another MNVP's records answer 404),
an ICB commissioner reads those they commission. An activity's status changes only
through its actions (mark ready, mark done), never its edit form, so the risk
assessment gate cannot be stepped round; saving goes through the services.
"""

from __future__ import annotations

import django_filters
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic

from cms.forms import DateInput
from members.admin_views import (
    CalendarDateColumn,
    ScopedAdminModelForm,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from members.enums import EqualityQuestion
from members.filters import partnerships_for_request
from members.scoping import user_can

from ..activity_selectors import total_hours, volunteers_with_compliance
from ..activity_views import (
    AddVolunteerView,
    MarkDoneView,
    MarkReadyView,
    RecordReachView,
    RemoveVolunteerView,
)
from ..enums import ActionStatus, ActivityKind, ActivityStatus, Theme
from ..models import BirthingPopulation, EngagementActivity, FeedbackTheme, YouSaidWeDid
from ..reach import activity_reach
from ..services.activities import readiness, save_action, save_activity

# The one "Workplans" menu group collects items registered under this hook (wagtail_hooks).
WORKPLANS_MENU_HOOK = "register_workplans_menu_item"


# Engagement activities ---------------------------------------------------------------------


class ActivityFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices)
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices)
    held_from = django_filters.DateFilter(
        label="Held on or after",
        field_name="held_on",
        lookup_expr="gte",
        widget=DateInput(),
    )

    class Meta:
        model = EngagementActivity
        fields = ["partnership", "kind", "status", "held_from"]


class ActivityForm(ScopedAdminModelForm):
    """The milestone and the risk assessment must be the activity's own MNVP's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "milestone" in self.fields:
            field = self.fields["milestone"]
            field.queryset = field.queryset.select_related("objective__workplan__partnership")
            field.label_from_instance = lambda m: f"{m.objective.workplan.partnership}: {m}"

    def clean(self):
        cleaned = super().clean()
        partnership = cleaned.get("partnership")
        milestone, risk_assessment = cleaned.get("milestone"), cleaned.get("risk_assessment")
        if partnership and milestone and milestone.objective.workplan.partnership_id != partnership.pk:
            self.add_error("milestone", "Choose a milestone of this MNVP's workplan.")
        if partnership and risk_assessment and risk_assessment.partnership_id != partnership.pk:
            self.add_error("risk_assessment", "Choose a risk assessment of this MNVP.")
        return cleaned


class ActivitySaveMixin:
    def save_instance(self):
        return save_activity(activity=self.form.save(commit=False), acting_user=self.request.user)


class ActivityCreateView(ActivitySaveMixin, generic.CreateView):
    pass


class ActivityEditView(ActivitySaveMixin, ScopedEditView):
    pass


class ActivityIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership")


class ActivityInspectView(ScopedInspectView):
    template_name = "workplans/admin/activity_inspect.html"

    def get_fields(self):
        return [
            "partnership",
            "kind",
            "held_on",
            "place",
            "status",
            "milestone",
            "risk_assessment",
            "people_heard",
        ]

    def get_context_data(self, **kwargs):
        activity, user = self.object, self.request.user
        may_change = user.has_perm("workplans.change_engagementactivity") and user_can(
            user, "change", activity
        )
        # Names and compliance of volunteers are personal data: for those who work on the MNVP's
        # volunteers (host staff, its lead), not for read-only oversight.
        sees_volunteers = user.has_perm("workplans.view_activityvolunteer")
        rows = volunteers_with_compliance(activity)
        may_go_ahead, readiness_reason = readiness(activity)
        return super().get_context_data(
            activity=activity,
            volunteer_rows=(
                [(row, row.compliance.reasons_for(user) if row.compliance else []) for row in rows]
                if sees_volunteers
                else None
            ),
            volunteer_count=len(rows),
            hours=total_hours(rows),
            flagged_count=sum(row.flagged for row in rows),
            reach=activity_reach(activity),
            themes=type(activity)._meta.get_field("themes").labels(activity.themes),
            actions=list(activity.actions.order_by("-pk")),
            may_change=may_change,
            may_add_volunteer=may_change and user.has_perm("workplans.add_activityvolunteer"),
            may_record_reach=may_change and user.has_perm("workplans.add_activityreach"),
            may_add_action=user.has_perm("workplans.add_yousaidwedid") and user_can(user, "change", activity),
            may_go_ahead=may_go_ahead,
            readiness_reason=readiness_reason,
            questions=EqualityQuestion.choices,
            **kwargs,
        )


class EngagementActivityViewSet(ScopedModelViewSet):
    model = EngagementActivity
    icon = "calendar-alt"
    menu_label = "Engagement activities"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 500
    index_view_class = ActivityIndexView
    add_view_class = ActivityCreateView
    edit_view_class = ActivityEditView
    inspect_view_class = ActivityInspectView
    list_display = [
        "title",
        "partnership",
        Column("kind", label="Kind", accessor="get_kind_display"),
        CalendarDateColumn("held_on", label="Held on"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        "people_heard",
    ]
    filterset_class = ActivityFilterSet
    search_fields = ["title", "place", "partnership__name"]
    search_backend_name = None
    ordering = ["-held_on"]
    list_export = ["partnership", "kind", "title", "held_on", "place", "status", "people_heard"]
    export_headings = {"partnership": "MNVP", "held_on": "Held on", "people_heard": "People heard"}
    export_filename = "engagement-activities"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("partnership"), FieldPanel("kind")]),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("held_on"), FieldPanel("place")]),
            FieldPanel("milestone"),
            FieldPanel(
                "risk_assessment",
                help_text="It must be approved and current on the day before the activity can go ahead.",
            ),
            FieldPanel("people_heard"),
            FieldPanel("themes"),
            FieldPanel("summary"),
            MultiFieldPanel(
                [
                    FieldPanel("is_public"),
                    FieldPanel(
                        "starts_at",
                        help_text="When it starts, shown beside the date. Leave empty if no set time.",
                    ),
                    FieldPanel("public_description"),
                ],
                heading="On the public MNVP page",
                help_text=(
                    "Public events from today on are listed on the MNVP's public page, soonest first, until "
                    "they are cancelled. Families never see the summary, volunteers or risk assessment."
                ),
            ),
        ],
        base_form_class=ActivityForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/volunteers/add/", AddVolunteerView.as_view(), name="add_volunteer"),
            path(
                "<int:pk>/volunteers/<int:volunteer_pk>/remove/",
                RemoveVolunteerView.as_view(),
                name="remove_volunteer",
            ),
            path("<int:pk>/reach/<str:question>/", RecordReachView.as_view(), name="record_reach"),
            path("<int:pk>/ready/", MarkReadyView.as_view(), name="mark_ready"),
            path("<int:pk>/done/", MarkDoneView.as_view(), name="mark_done"),
        ]


# You said, we did --------------------------------------------------------------------------


class ActionFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    theme = django_filters.ChoiceFilter(choices=Theme.choices)
    public = django_filters.BooleanFilter(label="On the public page")
    feedback_theme = django_filters.ModelChoiceFilter(
        label="Feedback theme", queryset=lambda request: FeedbackTheme.objects.select_related("parent")
    )

    class Meta:
        model = YouSaidWeDid
        fields = ["partnership", "status", "theme", "public", "feedback_theme"]


class ActionForm(ScopedAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        partnership, activity = cleaned.get("partnership"), cleaned.get("activity")
        if partnership and activity and activity.partnership_id != partnership.pk:
            self.add_error("activity", "Choose an activity of the same MNVP.")
        return cleaned


class ActionSaveMixin:
    def save_instance(self):
        return save_action(action=self.form.save(commit=False), acting_user=self.request.user)


class ActionCreateView(ActionSaveMixin, generic.CreateView):
    def get_initial(self):
        """``?activity=<id>`` (from an activity's page) starts the action from that activity."""
        initial = super().get_initial()
        activity_id = self.request.GET.get("activity", "")
        if activity_id.isdigit():
            activity = (
                EngagementActivity.objects.for_user(self.request.user, "change")
                .filter(pk=activity_id)
                .first()
            )
            if activity:
                initial.update(activity=activity, partnership=activity.partnership)
        return initial


class ActionEditView(ActionSaveMixin, ScopedEditView):
    pass


class ActionIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership", "feedback_theme__parent")


class YouSaidWeDidViewSet(ScopedModelViewSet):
    model = YouSaidWeDid
    icon = "openquote"
    menu_label = "You said, we did"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 510
    index_view_class = ActionIndexView
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    list_display = [
        Column("you_said", label="You said", accessor="__str__"),
        "partnership",
        Column("theme", label="Theme", accessor="get_theme_display"),
        Column("feedback_theme", label="Feedback theme", accessor="feedback_theme"),
        "owner",
        CalendarDateColumn("due_on", label="Due"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        BooleanColumn("public", label="Public"),
    ]
    filterset_class = ActionFilterSet
    search_fields = ["you_said", "we_did", "owner"]
    search_backend_name = None
    list_export = [
        "partnership",
        "theme",
        "feedback_theme",
        "you_said",
        "we_did",
        "trust_response",
        "owner",
        "due_on",
        "status",
        "closed_on",
        "public",
    ]
    export_headings = {
        "partnership": "MNVP",
        "you_said": "You said",
        "we_did": "We did",
        "due_on": "Due on",
        "feedback_theme": "Feedback theme",
        "trust_response": "Trust response",
        "closed_on": "Closed on",
    }
    export_filename = "you-said-we-did"
    inspect_view_fields = [
        "partnership",
        "activity",
        "theme",
        "feedback_theme",
        "you_said",
        "we_did",
        "trust_response",
        "owner",
        "due_on",
        "status",
        "closed_on",
        "public",
        "created_by",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("partnership"), FieldPanel("activity")]),
            FieldRowPanel([FieldPanel("theme"), FieldPanel("feedback_theme")]),
            FieldPanel(
                "you_said", help_text="What families told us, in their words where possible: no names."
            ),
            FieldPanel(
                "we_did", help_text="What changed because they spoke. Needed before it is marked done."
            ),
            FieldPanel("trust_response", help_text="What the trust said or committed to in reply."),
            FieldRowPanel([FieldPanel("owner"), FieldPanel("due_on"), FieldPanel("status")]),
            FieldPanel("closed_on", help_text="The day the action was closed (done, or no longer pursued)."),
            FieldPanel("public"),
        ],
        base_form_class=ActionForm,
    )


# Birthing population -----------------------------------------------------------------------


class CategoryColumn(Column):
    def get_value(self, instance):
        return instance.category_label


class BirthingPopulationViewSet(ScopedModelViewSet):
    model = BirthingPopulation
    icon = "group"
    menu_label = "Birthing population"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 520
    list_display = [
        "partnership",
        "question",
        CategoryColumn("category", label="Category"),
        "percentage",
        "source",
        DateColumn("updated_at", label="Updated"),
    ]
    list_filter = ["partnership", "question"]
    list_export = ["partnership", "question", "category", "percentage", "source"]
    export_filename = "birthing-population"
    inspect_view_fields = ["partnership", "question", "category", "percentage", "source", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldRowPanel([FieldPanel("question"), FieldPanel("category")]),
            FieldRowPanel([FieldPanel("percentage"), FieldPanel("source")]),
        ],
        base_form_class=ScopedAdminModelForm,
    )


engagement_activity_viewset = EngagementActivityViewSet("engagement_activities")
you_said_we_did_viewset = YouSaidWeDidViewSet("you_said_we_did")
birthing_population_viewset = BirthingPopulationViewSet("birthing_population")
