"""Listing filters. Any filter offering MNVPs offers only the user's own."""

import django_filters
from django.db.models import Exists, OuterRef
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from cms.forms import InlineOptionsSelect

from .enums import ApplicationStage, MembershipRole, PartnershipRole, PartnershipStatus, PPVCategory
from .models import (
    Application,
    Course,
    Membership,
    Partnership,
    PartnershipAccess,
    Person,
    RecruitmentSettings,
    TrainingRecord,
)


def partnerships_for_request(request):
    if request is None:
        return Partnership.objects.none()
    return Partnership.objects.for_user(request.user, "view")


def mnvp_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    """The "MNVP" filter of a listing: the user's own MNVPs, in a select that renders cheaply."""
    return django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, widget=InlineOptionsSelect, **kwargs
    )


class PartnershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices)
    icb_name = django_filters.CharFilter(label="ICB", lookup_expr="icontains")

    class Meta:
        model = Partnership
        fields = ["status", "icb_name"]


class PartnershipAccessFilterSet(WagtailFilterSet):
    partnership = mnvp_filter()
    role = django_filters.ChoiceFilter(choices=PartnershipRole.choices)

    class Meta:
        model = PartnershipAccess
        fields = ["partnership", "role"]


class PersonFilterSet(WagtailFilterSet):
    partnership = mnvp_filter(method="filter_partnership")
    current_member = django_filters.BooleanFilter(label="Current member", method="filter_current_member")

    class Meta:
        model = Person
        fields = ["partnership", "current_member"]

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(Person.partnership_scope_q([value.pk])) if value else queryset

    def filter_current_member(self, queryset, name, value):
        if value is None:
            return queryset
        current = Exists(Membership.objects.current().filter(person=OuterRef("pk")))
        return queryset.filter(current if value else ~current)


class ApplicationFilterSet(WagtailFilterSet):
    partnership = mnvp_filter()
    stage = django_filters.MultipleChoiceFilter(choices=ApplicationStage.choices)
    submitted_at = django_filters.DateFromToRangeFilter(
        label="Submitted between", widget=DateRangePickerWidget
    )
    overdue = django_filters.BooleanFilter(label="Overdue in its stage", method="filter_overdue")

    class Meta:
        model = Application
        fields = ["partnership", "stage", "submitted_at", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(RecruitmentSettings.load().stage_overdue_days)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class MembershipFilterSet(WagtailFilterSet):
    partnership = mnvp_filter()
    role = django_filters.ChoiceFilter(choices=MembershipRole.choices)
    ppv_category = django_filters.ChoiceFilter(label="PPV category", choices=PPVCategory.choices)
    current = django_filters.BooleanFilter(label="Current", method="filter_current")

    class Meta:
        model = Membership
        fields = ["partnership", "role", "ppv_category", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class TrainingRecordFilterSet(WagtailFilterSet):
    partnership = mnvp_filter(method="filter_partnership")
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.all())
    completed_on = django_filters.DateFromToRangeFilter(
        label="Completed between", widget=DateRangePickerWidget
    )
    expires_on = django_filters.DateFromToRangeFilter(label="Expires between", widget=DateRangePickerWidget)

    class Meta:
        model = TrainingRecord
        fields = ["partnership", "course", "completed_on", "expires_on"]

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(TrainingRecord.partnership_scope_q([value.pk])) if value else queryset
