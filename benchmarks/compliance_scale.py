"""Benchmark: compliance and the compliance report at host scale.

    .venv/bin/python benchmarks/compliance_scale.py              # SQLite (the embedded default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/compliance_scale.py

Creates a throwaway test database and fills it with ``--people`` people (100,000)
holding current memberships across ten MNVPs, ``--records`` training records
(500,000) and ``--dbs`` DBS checks (50,000), all with ``bulk_create``; four roles
need three to five courses each, and the leads' roles a DBS check. Then times
(best of ``--repeat``) :func:`members.compliance.compliance_for` over everyone, and
the compliance report for host staff and for one MNVP's lead: the selector, the
first page of the screen and the full CSV and XLSX exports, each through the test
client as a browser would ask (the XLSX is read back to count its rows, outside the
time). On SQLite the test database is in memory, as in the test suite. Prints a
Markdown table of rows, seconds and queries; results are kept in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from cms.dates import add_months  # noqa: E402
from members.compliance import compliance_for  # noqa: E402
from members.compliance_report import compliance_report  # noqa: E402
from members.enums import DBSDecision, DBSLevel, DBSOutcome, MembershipRole, PartnershipRole, Role  # noqa: E402
from members.models import (  # noqa: E402
    Course,
    DBSCheck,
    Membership,
    Partnership,
    Person,
    RoleRequirement,
    TrainingRecord,
    User,
)
from members.roles import role_group  # noqa: E402
from members.services.access import grant_partnership_access  # noqa: E402

TODAY = datetime.date(2026, 11, 23)
BATCH = 5000
MNVPS = 10
# Name, validity in months (None: never expires), certificate required.
COURSES = [
    ("Safeguarding adults and children level 2", 36, True),
    ("Information governance and data protection", 12, False),
    ("Equality, diversity and inclusion", 36, False),
    ("Listening and engagement skills", None, False),
    ("Fifteen Steps for maternity", 24, False),
    ("Bereavement awareness", 24, False),
    ("Neonatal family integrated care", 36, False),
    ("Chairing and facilitation", None, False),
]
# Role, share of memberships, courses needed (indexes into COURSES), DBS level.
ROLES = [
    (MembershipRole.VOLUNTEER, 0.70, [0, 1, 3], ""),
    (MembershipRole.MEMBER_REPRESENTATIVE, 0.20, [0, 1, 2, 4], ""),
    (MembershipRole.NEONATAL_LEAD, 0.04, [0, 1, 2, 4, 6], DBSLevel.ENHANCED),
    (MembershipRole.BEREAVEMENT_LEAD, 0.03, [0, 1, 2, 5], DBSLevel.ENHANCED),
    (MembershipRole.LEAD, 0.03, [0, 1, 2, 4, 7], DBSLevel.ENHANCED_BARRED),
]


def build(people: int, records: int, dbs_checks: int, seed: int = 2026) -> dict:
    """The host's data, built as model objects in Python and inserted in batches."""
    rng = random.Random(seed)
    partnerships = Partnership.objects.bulk_create(
        [Partnership(name=f"MNVP {i:02d}", slug=f"mnvp-{i:02d}") for i in range(MNVPS)]
    )
    courses = Course.objects.bulk_create(
        [
            Course(name=name, validity_months=months, certificate_required=cert)
            for name, months, cert in COURSES
        ]
    )
    for role, _share, needed, level in ROLES:
        requirement = RoleRequirement.objects.create(role=role, dbs_level=level)
        requirement.courses.set([courses[i] for i in needed])

    person_objects = [
        Person(first_name=f"First{i}", last_name=f"Last{i:06d}", email=f"person{i}@example.org")
        for i in range(people)
    ]
    persons = Person.objects.bulk_create(person_objects, batch_size=BATCH)
    person_ids = [p.pk for p in persons]

    roles = [r[0] for r in ROLES]
    weights = [r[1] for r in ROLES]
    needed_by_role = {r[0]: r[2] for r in ROLES}
    start = TODAY - datetime.timedelta(days=800)
    memberships = []
    person_courses = []
    for index, person_id in enumerate(person_ids):
        partnership = partnerships[index % MNVPS]
        role = rng.choices(roles, weights)[0]
        memberships.append(
            Membership(person_id=person_id, partnership=partnership, role=role, start_date=start)
        )
        needs = set(needed_by_role[role])
        if index % 20 == 0:  # one in twenty also volunteers in the same MNVP
            if role != MembershipRole.VOLUNTEER:
                memberships.append(
                    Membership(
                        person_id=person_id,
                        partnership=partnership,
                        role=MembershipRole.VOLUNTEER,
                        start_date=start,
                    )
                )
                needs |= set(needed_by_role[MembershipRole.VOLUNTEER])
        elif index % 20 == 1:  # and one in twenty volunteers in a second MNVP
            memberships.append(
                Membership(
                    person_id=person_id,
                    partnership=partnerships[(index + 1) % MNVPS],
                    role=MembershipRole.VOLUNTEER,
                    start_date=start,
                )
            )
        person_courses.append((person_id, sorted(needs)))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    # Most records are of courses the person needs (some repeated, some lapsed); the rest other courses.
    training = []
    while len(training) < records:
        for person_id, needs in person_courses:
            if len(training) >= records:
                break
            course_index = rng.choice(needs) if rng.random() < 0.9 else rng.randrange(len(courses))
            course = courses[course_index]
            completed_on = TODAY - datetime.timedelta(days=rng.randint(1, 4 * 365))
            training.append(
                TrainingRecord(
                    person_id=person_id,
                    course=course,
                    completed_on=completed_on,
                    # bulk_create skips save(), which derives the expiry: derive it here.
                    expires_on=course.expiry_for(completed_on),
                    certificate="certificates/2026/11/bench.pdf" if rng.random() < 0.85 else "",
                )
            )
    TrainingRecord.objects.bulk_create(training, batch_size=BATCH)

    checks = []
    dbs_people = rng.sample(person_ids, min(dbs_checks, len(person_ids)))
    for person_id in dbs_people:
        issued_on = TODAY - datetime.timedelta(days=rng.randint(1, 4 * 365))
        disclosed = rng.random() < 0.05  # of those, most found suitable, some still awaiting a decision
        checks.append(
            DBSCheck(
                person_id=person_id,
                level=rng.choice([DBSLevel.STANDARD, DBSLevel.ENHANCED, DBSLevel.ENHANCED_BARRED]),
                issued_on=issued_on,
                outcome=DBSOutcome.NEEDS_DECISION if disclosed else DBSOutcome.CLEAR,
                decision=DBSDecision.SUITABLE if disclosed and rng.random() < 0.6 else "",
                recheck_due_on=add_months(issued_on, 36),
            )
        )
    DBSCheck.objects.bulk_create(checks, batch_size=BATCH)
    return {"partnerships": partnerships, "memberships": len(memberships)}


def best_of(repeat: int, action) -> tuple[float, float, int, object]:
    """The fastest of ``repeat`` runs (wall clock, and this process's CPU), the last run's queries and result.

    The CPU time leaves out waiting for other work on a shared machine, and, on
    PostgreSQL, the database server's own work, which the wall clock includes.
    """
    times, cpu_times = [], []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = action()
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
    return min(times), min(cpu_times), len(queries.captured_queries), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--dbs", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        data = build(args.people, args.records, args.dbs)
        built = time.perf_counter() - started
        north = data["partnerships"][0]
        host = User.objects.create(username="bench.host")
        host.groups.add(role_group(Role.HOST_STAFF))
        lead = User.objects.create(username="bench.lead")
        grant_partnership_access(user=lead, partnership=north, role=PartnershipRole.MNVP_LEAD)
        host_client, lead_client = Client(), Client()
        host_client.force_login(host)
        lead_client.force_login(lead)
        url = reverse("compliance_report:index")

        def page(client, **params):
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            return response.context["paginator"].count

        def export(client, kind="csv"):
            response = client.get(url, {"export": kind})
            assert response.status_code == 200, response.status_code
            return b"".join(response.streaming_content)

        def csv_rows(content: bytes) -> int:
            return content.count(b"\n") - 1

        def xlsx_rows(content: bytes) -> int:
            sheet = load_workbook(io.BytesIO(content), read_only=True).active
            return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1

        for client in (host_client, lead_client):
            client.get(url, {"state": "missing"})  # warm caches (site, settings, menus, templates)

        on = TODAY
        scenarios = [
            ("`compliance_for`, everyone", lambda: len(compliance_for(Person.objects.all(), on=on))),
            ("report selector, host (all MNVPs)", lambda: len(compliance_report(host, on=on).rows)),
            ("report selector, one MNVP (lead)", lambda: len(compliance_report(lead, on=on).rows)),
            (
                "report selector, host, lapses within 30 days",
                lambda: len(compliance_report(host, lapses_within=30, on=on).rows),
            ),
            ("first page, host", lambda: page(host_client)),
            ("first page, one MNVP (lead)", lambda: page(lead_client)),
            ("CSV export, host", lambda: csv_rows(export(host_client))),
            ("CSV export, one MNVP (lead)", lambda: csv_rows(export(lead_client))),
            ("XLSX export, host", lambda: export(host_client, "xlsx"), xlsx_rows),
            ("XLSX export, one MNVP (lead)", lambda: export(lead_client, "xlsx"), xlsx_rows),
        ]
        print(
            f"{args.people:,} people, {data['memberships']:,} current memberships in {MNVPS} MNVPs, "
            f"{args.records:,} training records, {args.dbs:,} DBS checks on {connection.vendor} "
            f"(built in {built:.0f} s); best of {args.repeat}\n"
        )
        print("| what | rows | seconds | CPU seconds (Django) | queries |")
        print("|---|---:|---:|---:|---:|")
        for label, action, *count in scenarios:
            seconds, cpu, queries, rows = best_of(args.repeat, action)
            if count:  # counted after the clock stops: reading a workbook back is not the export's time
                rows = count[0](rows)
            print(f"| {label} | {rows:,} | {seconds:.2f} | {cpu:.2f} | {queries} |", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
