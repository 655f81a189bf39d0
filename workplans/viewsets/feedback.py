"""Admin screens for feedback items and the theme framework.

Feedback items are scoped to the user's MNVPs (:class:`members.admin_views.ScopedModelViewSet`):
host staff reach all of them, a lead their own (another MNVP's answer 404); the ICB
has no access. The text is encrypted at rest, so the listing cannot search it: it
filters by MNVP, source, service area, sentiment, theme and dates instead, and says so.
Items come in one at a time or from a spreadsheet (the members import flow).

The theme framework is the host's: staff add and edit themes and their keyword
rules; leads may read it.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from cms.forms import DateInput
from members.admin_views import (
    CalendarDateColumn,
    ScopedAdminModelForm,
    ScopedEditView,
    ScopedIndexView,
    ScopedModelViewSet,
)
from members.enums import ImportKind
from members.filters import partnerships_for_request
from members.viewsets.people import SpreadsheetImportViewSetMixin

from ..enums import FeedbackSource, Sentiment, ServiceArea
from ..feedback_report import Quarter, quarter_choices
from ..feedback_views import FeedbackInspectView, TagFeedbackView
from ..models import FeedbackItem, FeedbackTheme
from ..services.feedback import save_feedback

WORKPLANS_MENU_HOOK = "register_workplans_menu_item"
EXCERPT_LENGTH = 90


def active_themes(request=None):
    return FeedbackTheme.objects.filter(active=True).select_related("parent")


class ThemeChoiceFilter(django_filters.ModelChoiceFilter):
    """A theme's items and its children's: the report's parent counts link here."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        tagged = FeedbackItem.themes.through.objects.filter(
            Q(feedbacktheme=value) | Q(feedbacktheme__parent=value)
        ).values("feedbackitem_id")
        return queryset.filter(pk__in=tagged)


class FeedbackFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    source = django_filters.ChoiceFilter(choices=FeedbackSource.choices)
    service_area = django_filters.ChoiceFilter(choices=ServiceArea.choices)
    sentiment = django_filters.ChoiceFilter(choices=Sentiment.choices)
    theme = ThemeChoiceFilter(label="Theme (and its sub-themes)", queryset=active_themes)
    quarter = django_filters.ChoiceFilter(
        label="Financial quarter", choices=quarter_choices, method="filter_quarter"
    )
    received_from = django_filters.DateFilter(
        label="Received on or after",
        field_name="received_on",
        lookup_expr="gte",
        widget=DateInput(),
    )
    received_to = django_filters.DateFilter(
        label="Received on or before",
        field_name="received_on",
        lookup_expr="lte",
        widget=DateInput(),
    )

    class Meta:
        model = FeedbackItem
        fields = ["partnership", "source", "service_area", "sentiment", "theme", "quarter"]

    def filter_quarter(self, queryset, name, value):
        quarter = Quarter.parse(value)
        if quarter is None:
            return queryset
        return queryset.filter(received_on__gte=quarter.start, received_on__lte=quarter.end)


class FeedbackForm(ScopedAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "themes" in self.fields:
            self.fields["themes"].queryset = active_themes()
        if "activity" in self.fields:
            field = self.fields["activity"]
            field.queryset = field.queryset.select_related("partnership")

    def clean(self):
        cleaned = super().clean()
        partnership, activity = cleaned.get("partnership"), cleaned.get("activity")
        if partnership and activity and activity.partnership_id != partnership.pk:
            self.add_error("activity", "Choose an activity of the same MNVP.")
        return cleaned


class FeedbackSaveMixin:
    def save_instance(self):
        item = save_feedback(item=self.form.save(commit=False), acting_user=self.request.user)
        self.form.save_m2m()
        return item


class FeedbackCreateView(FeedbackSaveMixin, generic.CreateView):
    pass


class FeedbackEditView(FeedbackSaveMixin, ScopedEditView):
    pass


class FeedbackIndexView(ScopedIndexView):
    template_name = "workplans/admin/feedback_index.html"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership").prefetch_related("themes__parent")


class ExcerptColumn(Column):
    def get_value(self, instance):
        text = " ".join(instance.text.split())
        return text if len(text) <= EXCERPT_LENGTH else f"{text[: EXCERPT_LENGTH - 1]}…"


class ThemesColumn(Column):
    def get_value(self, instance):
        return "; ".join(str(theme) for theme in instance.themes.all()) or "—"


class FeedbackItemViewSet(SpreadsheetImportViewSetMixin, ScopedModelViewSet):
    model = FeedbackItem
    import_kind = ImportKind.FEEDBACK
    icon = "comment"
    menu_label = "Feedback"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 560
    index_view_class = FeedbackIndexView
    add_view_class = FeedbackCreateView
    edit_view_class = FeedbackEditView
    inspect_view_class = FeedbackInspectView
    list_display = [
        ExcerptColumn("text", label="What was said", accessor="text"),
        "partnership",
        CalendarDateColumn("received_on", label="Received"),
        Column("source", label="Source", accessor="get_source_display"),
        Column("service_area", label="Service area", accessor="get_service_area_display"),
        Column("sentiment", label="Sentiment", accessor="get_sentiment_display"),
        ThemesColumn("themes", label="Themes"),
    ]
    filterset_class = FeedbackFilterSet
    search_fields = None  # the text is encrypted: the database cannot search it
    ordering = ["-received_on", "-pk"]
    list_export = ["partnership", "received_on", "source", "service_area", "sentiment", "text"]
    export_headings = {
        "partnership": "MNVP",
        "received_on": "Received on",
        "service_area": "Service area",
        "text": "Comment",
    }
    export_filename = "feedback"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("partnership"), FieldPanel("received_on")]),
            FieldRowPanel([FieldPanel("source"), FieldPanel("service_area"), FieldPanel("sentiment")]),
            FieldPanel(
                "text",
                help_text="In the family's words where possible, with nothing that identifies anyone.",
            ),
            FieldPanel("activity"),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=FeedbackForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/tag/", TagFeedbackView.as_view(), name="tag"),
        ]


# The theme framework -----------------------------------------------------------------------


class ThemeForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            parents = FeedbackTheme.objects.filter(parent__isnull=True)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("parent") and self.instance.pk and self.instance.children.exists():
            self.add_error(
                "parent", "This theme has sub-themes of its own, so it must stay at the top level."
            )
        return cleaned


class KeywordCountColumn(Column):
    def get_value(self, instance):
        return len(instance.keyword_list)


class FeedbackThemeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("parent")


class FeedbackThemeViewSet(ModelViewSet):
    model = FeedbackTheme
    icon = "tag"
    menu_label = "Feedback themes"
    menu_hook = WORKPLANS_MENU_HOOK
    menu_order = 570
    index_view_class = FeedbackThemeIndexView
    inspect_view_enabled = True
    list_display = [
        Column("name", label="Theme", accessor="__str__"),
        KeywordCountColumn("keywords", label="Keywords"),
        BooleanColumn("active", label="In use"),
    ]
    list_filter = ["active", "parent"]
    search_fields = ["name", "keywords"]
    search_backend_name = None
    ordering = ["parent__name", "name"]
    inspect_view_fields = ["parent", "name", "description", "keywords", "active"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("parent"), FieldPanel("name")]),
            FieldPanel("description"),
            FieldPanel("keywords"),
            FieldPanel("active", help_text="A theme no longer in use stays on the items it tags."),
        ],
        base_form_class=ThemeForm,
    )


feedback_item_viewset = FeedbackItemViewSet("feedback_items")
feedback_theme_viewset = FeedbackThemeViewSet("feedback_themes")
