"""Admin screens for the reference population figures the equality report compares against."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn

from ..admin_views import ScopedAdminModelForm, ScopedModelViewSet
from ..models import ReferencePopulation
from ..scoping import ALL, permitted_partnership_ids


class ReferencePopulationForm(ScopedAdminModelForm):
    """Only someone who reaches every MNVP may enter a host-wide figure (one with no MNVP)."""

    def clean_partnership(self):
        partnership = self.cleaned_data.get("partnership")
        if partnership is None and permitted_partnership_ids(self.for_user, "change") is not ALL:
            raise forms.ValidationError("Choose the MNVP this figure is for.")
        return partnership


class CategoryColumn(Column):
    def get_value(self, instance):
        return instance.category_label


class MNVPOrAllColumn(Column):
    def get_value(self, instance):
        return instance.partnership.name if instance.partnership_id else "All MNVPs (host-wide)"


class ReferencePopulationViewSet(ScopedModelViewSet):
    model = ReferencePopulation
    icon = "group"
    menu_label = "Reference population"
    add_to_settings_menu = True
    menu_order = 900
    list_display = [
        MNVPOrAllColumn("partnership", label="MNVP"),
        "question",
        CategoryColumn("category", label="Category"),
        "percentage",
        "source",
        DateColumn("updated_at", label="Updated"),
    ]
    list_filter = ["partnership", "question"]
    list_export = ["partnership", "question", "category", "percentage", "source"]
    export_filename = "reference-population"
    inspect_view_fields = ["partnership", "question", "category", "percentage", "source", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldRowPanel([FieldPanel("question"), FieldPanel("category")]),
            FieldRowPanel([FieldPanel("percentage"), FieldPanel("source")]),
        ],
        base_form_class=ReferencePopulationForm,
    )


reference_population_viewset = ReferencePopulationViewSet("reference_population")
