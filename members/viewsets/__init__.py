from wagtail.admin.viewsets.base import ViewSetGroup

from .partnerships import PartnershipAccessViewSet, PartnershipChooserViewSet, PartnershipViewSet
from .people import MembershipViewSet, PersonViewSet
from .recruitment import ApplicationViewSet
from .training import TrainingViewSetGroup, person_chooser_viewset


class MNVPsViewSetGroup(ViewSetGroup):
    menu_label = "MNVPs"
    menu_icon = "group"
    menu_order = 200
    items = (PartnershipViewSet("partnerships"), PartnershipAccessViewSet("partnership_access"))


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = "People"
    menu_icon = "user"
    menu_order = 100
    items = (PersonViewSet("people"), ApplicationViewSet("applications"), MembershipViewSet("memberships"))


partnership_chooser_viewset = PartnershipChooserViewSet("partnership_chooser")

__all__ = [
    "MNVPsViewSetGroup",
    "PeopleViewSetGroup",
    "TrainingViewSetGroup",
    "partnership_chooser_viewset",
    "person_chooser_viewset",
]
