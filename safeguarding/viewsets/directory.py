"""The signposting directory in the admin: one host-wide list of support organisations.

Not an MNVP's records (the public reads them too), so model permissions alone
decide who sees and edits them: host staff and DSLs keep it, leads read it.
"""

import django_filters
from django import forms
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from members.viewsets.training import CatalogueIndexView

from ..directory import filter_organisations
from ..enums import SupportArea, SupportTopic
from ..models import SupportOrganisation


class SupportOrganisationFilterSet(WagtailFilterSet):
    helps_with = django_filters.ChoiceFilter(
        label="Helps with", choices=SupportTopic.choices, method="filter_helps_with"
    )
    area = django_filters.ChoiceFilter(choices=SupportArea.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = SupportOrganisation
        fields = ["helps_with", "area", "active"]

    def filter_helps_with(self, queryset, name, value):
        return filter_organisations(queryset, topic=value) if value else queryset


class HelpsWithColumn(Column):
    def get_value(self, instance):
        return ", ".join(SupportOrganisation._meta.get_field("helps_with").labels(instance.helps_with))


class SupportOrganisationIndexView(CatalogueIndexView):
    pass


class SupportOrganisationViewSet(ModelViewSet):
    model = SupportOrganisation
    icon = "help"
    menu_label = "Signposting directory"
    index_view_class = SupportOrganisationIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["name", HelpsWithColumn("helps_with", label="Helps with"), "area", "active"]
    filterset_class = SupportOrganisationFilterSet
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    list_export = [
        "name",
        "helps_with",
        "description",
        "area",
        "area_name",
        "phone",
        "email",
        "website",
        "active",
    ]
    export_filename = "signposting-directory"
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("helps_with"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("area"), FieldPanel("area_name")]),
                FieldPanel("partnerships", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Where",
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading="Contact",
        ),
        FieldPanel("active", help_text="Only active organisations are shown on the public site."),
    ]
