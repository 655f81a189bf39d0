"""Listing filters. Any filter offering MNVPs offers only the user's own."""

import django_filters
from wagtail.admin.filters import WagtailFilterSet

from .enums import PartnershipRole, PartnershipStatus
from .models import Partnership, PartnershipAccess


def partnerships_for_request(request):
    if request is None:
        return Partnership.objects.none()
    return Partnership.objects.for_user(request.user, "view")


class PartnershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices)
    icb_name = django_filters.CharFilter(label="ICB", lookup_expr="icontains")

    class Meta:
        model = Partnership
        fields = ["status", "icb_name"]


class PartnershipAccessFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(label="MNVP", queryset=partnerships_for_request)
    role = django_filters.ChoiceFilter(choices=PartnershipRole.choices)

    class Meta:
        model = PartnershipAccess
        fields = ["partnership", "role"]
