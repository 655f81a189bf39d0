from wagtail import hooks

from .models import Partnership, PartnershipAccess
from .permissions import PartnershipPermissionPolicy, register_scoped_policy

# Policies first: Wagtail refuses a custom policy once a viewset has made a fallback.
register_scoped_policy(Partnership, PartnershipPermissionPolicy)
register_scoped_policy(PartnershipAccess)

from .viewsets import MembersViewSetGroup, partnership_chooser_viewset  # noqa: E402


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    return [MembersViewSetGroup(), partnership_chooser_viewset]
