"""The funnel shown to staff is kept for the hour it was worked out in, until an application moves."""

import datetime

import pytest
from django.utils import timezone

from members.enums import ApplicationStage
from members.funnel_cache import cached_recruitment_funnel, forget_funnels
from members.models import ApplicationStageChange
from members.services.recruitment import move_application
from members.stays import record_stays
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

S = ApplicationStage


def in_stage(report, stage):
    return next(s for s in report.total.stages if s.stage == stage).count


def test_a_second_view_costs_one_query_and_shows_the_same_figures(
    host_staff, north, south, django_assert_max_num_queries
):
    ApplicationFactory(partnership=north, stage=S.NEW)
    ApplicationFactory(partnership=south, stage=S.CHECKS)
    first = cached_recruitment_funnel(host_staff)

    with django_assert_max_num_queries(1):  # the user's MNVPs: the key
        again = cached_recruitment_funnel(host_staff)

    assert again == first
    assert again.as_of == first.as_of


def test_moving_an_application_shows_at_once(host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.NEW)
    assert in_stage(cached_recruitment_funnel(host_staff), S.CONTACTED) == 0

    move_application(application=application, to_stage=S.CONTACTED, acting_user=host_staff)

    assert in_stage(cached_recruitment_funnel(host_staff), S.CONTACTED) == 1


def test_a_new_or_deleted_application_shows_at_once(host_staff, north):
    assert cached_recruitment_funnel(host_staff).total.total == 0
    application = ApplicationFactory(partnership=north, stage=S.NEW)
    assert cached_recruitment_funnel(host_staff).total.total == 1
    application.delete()
    assert cached_recruitment_funnel(host_staff).total.total == 0


def test_history_written_in_bulk_shows_once_its_stays_are_recorded(host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.CONTACTED)
    before = cached_recruitment_funnel(host_staff)
    now = timezone.now()
    ApplicationStageChange.objects.bulk_create(
        [
            ApplicationStageChange(
                application=application, from_stage="", to_stage=S.NEW, changed_at=now - datetime.timedelta(5)
            ),
            ApplicationStageChange(
                application=application, from_stage=S.NEW, to_stage=S.CONTACTED, changed_at=now
            ),
        ]
    )
    record_stays([application.pk])

    after = cached_recruitment_funnel(host_staff)
    new = next(s for s in after.total.stages if s.stage == S.NEW)
    assert after != before
    assert new.median_days == pytest.approx(5, abs=0.1)


def test_each_set_of_mnvps_has_its_own_funnel(host_staff, north_lead, north, south):
    ApplicationFactory(partnership=north, stage=S.NEW)
    ApplicationFactory(partnership=south, stage=S.NEW)

    assert cached_recruitment_funnel(host_staff).total.total == 2
    assert cached_recruitment_funnel(north_lead).total.total == 1
    assert cached_recruitment_funnel(host_staff, partnership=south).total.total == 1


def test_the_kept_funnel_is_worked_out_again_the_next_hour(host_staff, north, monkeypatch):
    ApplicationFactory(partnership=north, stage=S.NEW)
    first = cached_recruitment_funnel(host_staff)
    later = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr("members.funnel_cache.timezone.now", lambda: later)

    again = cached_recruitment_funnel(host_staff)

    assert again.as_of == later != first.as_of
    forget_funnels()
