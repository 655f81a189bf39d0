"""The demo workplans: one per demo MNVP, milestones in every status, sign-off history, idempotent."""

import pytest
from django.utils import timezone

from members.demo import seed_logins, seed_partnerships
from workplans.demo import seed_workplans
from workplans.enums import MilestoneStatus, SignOffStage
from workplans.models import Milestone, MilestoneUpdate, Workplan
from workplans.models.plans import financial_year_of

pytestmark = pytest.mark.django_db


def test_demo_workplans_show_every_state_and_seed_once():
    seed_partnerships()
    seed_logins("demo-password")
    created = seed_workplans()
    assert len(created) == 3
    year = financial_year_of(timezone.localdate())
    stages = dict(Workplan.objects.filter(year=year).values_list("partnership__slug", "stage"))
    assert stages == {
        "northshire": SignOffStage.SIGNED_OFF,
        "southvale": SignOffStage.AGREED,
        "westbrook": SignOffStage.DRAFT,
    }
    north = Workplan.objects.get(partnership__slug="northshire")
    assert [s.by.username for s in north.sign_offs.all()] == ["host.admin", "north.lead", "icb.viewer"]
    for workplan in created:
        milestones = Milestone.objects.filter(objective__workplan=workplan)
        assert set(milestones.values_list("status", flat=True)) == set(MilestoneStatus.values)
        assert milestones.overdue().exists()
        assert workplan.objectives.values("theme").distinct().count() >= 4
    assert MilestoneUpdate.objects.filter(by__username="north.lead").exists()

    counts = (Workplan.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    assert seed_workplans() == []
    assert (Workplan.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count()) == counts
