"""History entries for changes volunteers make to their own record, shown on the person in the admin."""

from wagtail import hooks


@hooks.register("register_log_actions")
def register_volunteer_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    @actions.register_action("volunteers.contact_consent")
    class ContactConsent(LogFormatter):
        label = "Change contact consent (volunteer)"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            agreed = "agreed to hear about opportunities" if data.get("consent") else "withdrew consent"
            return f"The volunteer {agreed} ({data.get('how', 'online')})"

    @actions.register_action("volunteers.details_changed")
    class DetailsChanged(LogFormatter):
        label = "Correct own details (volunteer)"

        def format_message(self, log_entry):
            fields = ", ".join((log_entry.data or {}).get("fields", [])) or "nothing"
            return f"The volunteer corrected their details online: {fields}"

    @actions.register_action("volunteers.equality_erased")
    class EqualityErased(LogFormatter):
        label = "Delete equality monitoring answers (volunteer)"
        message = "The volunteer asked for their equality monitoring answers to be deleted"
