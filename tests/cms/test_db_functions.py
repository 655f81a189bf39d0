"""EpochMicroseconds and IntegerList: exact in the database, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import F

from cms.db_functions import EpochMicroseconds, IntegerList, epoch_microseconds
from members.models import Application
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 3, 1, 12, 0, tzinfo=UTC),  # whole seconds: SQLite stores no fraction
    datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 3, 1, 12, 0, 0, 120_000, tzinfo=UTC),  # trailing zeros in the fraction
    datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(1969, 7, 20, 20, 17, 40, 500_000, tzinfo=UTC),  # before 1970
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_epoch_microseconds_reads_a_stored_datetime_exactly(north, moment):
    application = ApplicationFactory(partnership=north, stage_changed_at=moment)

    read = (
        Application.objects.filter(pk=application.pk)
        .annotate(us=EpochMicroseconds("stage_changed_at"))
        .values_list("us", flat=True)
        .get()
    )

    assert read == epoch_microseconds(moment)


def test_integer_list_gives_each_groups_values(north, south):
    for partnership, moment in ((north, MOMENTS[0]), (north, MOMENTS[1]), (south, MOMENTS[2])):
        ApplicationFactory(partnership=partnership, stage_changed_at=moment)

    rows = (
        Application.objects.order_by()
        .values_list("partnership_id")
        .annotate(us=IntegerList(EpochMicroseconds(F("stage_changed_at"))))
    )

    lists = {pk: sorted(int(us) for us in text.split(",")) for pk, text in rows}
    assert lists == {
        north.pk: sorted(epoch_microseconds(m) for m in MOMENTS[:2]),
        south.pk: [epoch_microseconds(MOMENTS[2])],
    }


def test_epoch_microseconds_on_sqlite_before_3_38_reads_the_same(north, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's fallback only")
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 37, 2))
    for moment in MOMENTS:
        ApplicationFactory(partnership=north, stage_changed_at=moment)

    read = Application.objects.order_by("stage_changed_at").annotate(us=EpochMicroseconds("stage_changed_at"))

    assert [a.us for a in read] == sorted(epoch_microseconds(m) for m in MOMENTS)
