"""The MNVP's public page tells families what changed because they spoke."""

from http import HTTPStatus

import pytest

from tests.workplans.activity_factories import YouSaidWeDidFactory
from workplans.enums import ActionStatus

pytestmark = pytest.mark.django_db


def test_mnvp_page_shows_public_actions_done_or_in_progress_only(client, site, north, south):
    YouSaidWeDidFactory(
        partnership=north,
        public=True,
        status=ActionStatus.DONE,
        you_said="No quiet room.",
        we_did="One opened.",
    )
    YouSaidWeDidFactory(
        partnership=north, public=True, status=ActionStatus.IN_PROGRESS, you_said="Long waits."
    )
    YouSaidWeDidFactory(partnership=north, public=True, status=ActionStatus.OPEN, you_said="Not started yet.")
    YouSaidWeDidFactory(
        partnership=north, public=False, status=ActionStatus.DONE, you_said="Internal only.", we_did="Fixed."
    )
    YouSaidWeDidFactory(
        partnership=south, public=True, status=ActionStatus.DONE, you_said="Southvale's own.", we_did="Done."
    )

    response = client.get("/northshire/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "What changed because you spoke" in html
    assert "No quiet room." in html
    assert "One opened." in html
    assert "Long waits." in html
    for hidden in ("Not started yet.", "Internal only.", "Southvale's own."):
        assert hidden not in html


def test_mnvp_page_without_public_actions_has_no_empty_section(client, site, north):
    assert "What changed because you spoke" not in client.get("/northshire/").content.decode()
