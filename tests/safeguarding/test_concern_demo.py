"""The demo concerns: one in each status, one with immediate risk, seeded once."""

import pytest

from members.demo import seed_logins, seed_partnerships
from safeguarding.demo import seed_safeguarding
from safeguarding.enums import ConcernStatus
from safeguarding.models import Concern

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_concern_in_each_status_and_seeds_once():
    seed_partnerships()
    seed_logins("demo-password")
    seed_safeguarding()
    assert set(Concern.objects.values_list("status", flat=True)) == set(ConcernStatus.values)
    assert Concern.objects.filter(immediate_risk=True, acknowledged_at__isnull=True).exists()
    count = Concern.objects.count()
    seed_safeguarding()
    assert Concern.objects.count() == count
