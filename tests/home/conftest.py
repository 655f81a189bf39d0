import pytest

from home.demo import seed_public_site


@pytest.fixture
def site(north, south):
    """The demo public site over the two fixture MNVPs."""
    return seed_public_site([north, south])
