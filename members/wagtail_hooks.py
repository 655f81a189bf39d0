from wagtail import hooks

from .models import Application, Membership, Partnership, PartnershipAccess, Person
from .permissions import PartnershipPermissionPolicy, register_scoped_policy

# Policies first: Wagtail refuses a custom policy once a viewset has made a fallback.
register_scoped_policy(Partnership, PartnershipPermissionPolicy)
for model in (PartnershipAccess, Person, Application, Membership):
    register_scoped_policy(model)

from .viewsets import MNVPsViewSetGroup, PeopleViewSetGroup, partnership_chooser_viewset  # noqa: E402


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    return [PeopleViewSetGroup(), MNVPsViewSetGroup(), partnership_chooser_viewset]


@hooks.register("register_log_actions")
def register_recruitment_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    from .enums import ApplicationStage

    @actions.register_action("members.application_moved")
    class ApplicationMoved(LogFormatter):
        label = "Move application"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            stages = dict(ApplicationStage.choices)
            return f"Moved from {stages.get(data.get('from'), '?')} to {stages.get(data.get('to'), '?')}"
