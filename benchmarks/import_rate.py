"""Benchmark: spreadsheet import rate against a plain bulk insert of the same rows.

    make bench                                   # SQLite (the embedded default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench

Creates a throwaway test database, then for each scenario times (best of
``--repeat``) a plain ``bulk_create`` of the rows, the import's check (the dry
run behind the preview) and the import itself, each rolled back or cleared
between runs. Prints a Markdown table; results are kept in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from members.enums import ImportKind, ImportStatus, Role  # noqa: E402
from members.models import ImportJob, Membership, Partnership, Person, User  # noqa: E402
from members.roles import role_group  # noqa: E402
from members.services.imports import check_import, run_import  # noqa: E402


def rows(count: int) -> list[dict]:
    mnvps = ["Northshire MNVP", "Southvale MNVP"]
    return [
        {
            "First name": f"First{i}",
            "Last name": f"Last{i}",
            "Email": f"person{i}@example.org",
            "Phone": f"07700 {i:06d}",
            "Postcode": f"NS{i % 9 + 1} {i % 10}AB",
            "MNVP": mnvps[i % 2],
            "Role": "Volunteer",
            "PPV category": "B",
            "Start date": "2026-04-01",
        }
        for i in range(count)
    ]


def as_csv(data: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(data)
    return buffer.getvalue().encode()


def bulk_insert(data, kind, partnerships):
    """The floor: the same rows as model objects straight into bulk_create, in one transaction."""
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(
                    first_name=r["First name"],
                    last_name=r["Last name"],
                    email=r["Email"],
                    phone=r["Phone"],
                    postcode=r["Postcode"],
                )
                for r in data
            ],
            batch_size=1000,
        )
        if kind == ImportKind.MEMBERSHIPS:
            Membership.objects.bulk_create(
                [
                    Membership(person=person, partnership=partnerships[row["MNVP"]], role="volunteer")
                    for person, row in zip(people, data, strict=True)
                ],
                batch_size=1000,
            )
        transaction.set_rollback(True)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def clear():
    Membership.objects.all().delete()
    Person.objects.all().delete()
    ImportJob.objects.all().delete()


def import_once(user, kind, content) -> tuple[float, float]:
    job = ImportJob.objects.create(
        kind=kind, created_by=user, file_name="bench.csv", file_format="csv", content=content
    )
    check_seconds = timed(lambda: check_import(job.pk))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    import_seconds = timed(lambda: run_import(job.pk))
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED, job.errors[:3]
    return check_seconds, import_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = User.objects.create(username="bench")
        user.groups.add(role_group(Role.HOST_STAFF))
        partnerships = {
            name: Partnership.objects.create(name=name, slug=name.split()[0].lower())
            for name in ("Northshire MNVP", "Southvale MNVP")
        }
        data = rows(args.rows)
        scenarios = {
            ImportKind.PEOPLE: ["First name", "Last name", "Email", "Phone", "Postcode"],
            ImportKind.MEMBERSHIPS: list(data[0]),
        }
        print(f"{args.rows:,} rows on {connection.vendor}, best of {args.repeat}\n")
        print("| import | bulk insert rows/s | check rows/s | import rows/s | import / bulk |")
        print("|---|---:|---:|---:|---:|")
        for kind, columns in scenarios.items():
            content = as_csv(data, columns)
            bulk = min(timed(lambda k=kind: bulk_insert(data, k, partnerships)) for _ in range(args.repeat))
            runs = []
            for _ in range(args.repeat):
                clear()
                runs.append(import_once(user, kind, content))
            check = min(run[0] for run in runs)
            imported = min(run[1] for run in runs)
            rate = args.rows / imported
            print(
                f"| {kind.label.lower()} (new) | {args.rows / bulk:,.0f} | {args.rows / check:,.0f} "
                f"| {rate:,.0f} | {rate / (args.rows / bulk):.2f} |"
            )
            # The same file again: every row now updates what the first import added.
            updates = [import_once(user, kind, content)[1] for _ in range(args.repeat)]
            update_rate = args.rows / statistics.median(updates)
            print(f"| {kind.label.lower()} (all updates) | | | {update_rate:,.0f} | |")
            clear()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
