"""What the public-page browser tests add to the demo: Northshire's events and one "you said, we did"."""

from home.demo import seed_public_events
from tests.workplans.activity_factories import YouSaidWeDidFactory
from workplans.enums import ActionStatus

QUIET_ROOM_DONE = "The postnatal ward opened a quiet feeding room."


def seed_family_pages(partnership):
    """Five upcoming public events (so the MNVP page links to its Events list) and a public action."""
    seed_public_events([partnership])
    YouSaidWeDidFactory(
        partnership=partnership,
        public=True,
        status=ActionStatus.DONE,
        you_said="There was nowhere quiet to feed at night.",
        we_did=QUIET_ROOM_DONE,
    )
