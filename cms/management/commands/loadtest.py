"""Load test: public sign-ups and host staff's admin reads at once, against gunicorn on localhost.

    .venv/bin/python manage.py loadtest                      # 20 s at most, 300 sign-ups, 100 reads
    .venv/bin/python manage.py loadtest --seconds 60 --signups 2000 --reads 500 --concurrency 16
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_perf manage.py loadtest   # on PostgreSQL

Never touches real data: like ``manage.py bench`` it creates a throwaway database (on
SQLite a file in a temporary directory, which the server's processes share) and
destroys it afterwards. It seeds three MNVPs, the public pages, a few hundred people
and a host staff login that has passed two-factor sign-in (a confirmed TOTP device,
its session marked verified), then starts gunicorn (``--workers`` processes of
``--threads`` threads) and sends the requests from ``--concurrency`` threads, each
sign-up from its own address and browser (GET for the CSRF token, then POST), the
admin reads with the host's session cookie. Bounded twice: ``--signups`` and
``--reads`` requests, and ``--seconds``.

It fails (exit status 1) when any request got a server error (5xx) or no answer, when
an admin read was not answered with the page (a redirect to sign in, say), or when a
sign-up that was thanked is not in the database afterwards (a lost sign-up).
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from cms import loadserver

ADMIN_READS = ["/admin/people/", "/admin/applications/", "/admin/"]


def signup_form(partnership_ids: list[int], run: str):
    from cms.antispam import HONEYPOT_FIELD, TIMESTAMP_FIELD, issue_token

    token = issue_token(now=0)  # started long ago: a person's pace

    def form(n: int) -> dict:
        return {
            "first_name": "Load",
            "last_name": f"Signup{n}",
            "email": f"load-{run}-{n}@example.org",
            "phone": "",
            "postcode": "NS1 2AB",
            "partnerships": [partnership_ids[n % len(partnership_ids)]],
            "involvement": ["listening"],
            "availability": ["weekend"],
            "privacy_consent": "on",
            TIMESTAMP_FIELD: token,
            HONEYPOT_FIELD: "",
        }

    return form


def seed(people: int = 300) -> dict:
    """Three MNVPs with their public pages, ``people`` people, and a verified host staff session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from home.demo import seed_public_site
    from members.enums import Role
    from members.models import Application, Membership, Partnership, Person, User
    from members.roles import role_group

    partnerships = Partnership.objects.bulk_create(
        [Partnership(name=f"Load MNVP {i}", slug=f"load-mnvp-{i}") for i in range(3)]
    )
    seed_public_site(partnerships)
    partnerships = list(Partnership.objects.filter(slug__startswith="load-mnvp-").order_by("pk"))
    created = Person.objects.bulk_create(
        [
            Person(first_name="Existing", last_name=f"Person{i:05d}", email=f"existing{i}@example.org")
            for i in range(people)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(person=p, partnership=partnerships[i % 3], role="volunteer", start_date="2025-01-01")
            for i, p in enumerate(created)
        ]
    )
    Application.objects.bulk_create(
        [Application(person=p, partnership=partnerships[i % 3]) for i, p in enumerate(created)]
    )
    host = User.objects.create(username="load.host", first_name="Load", last_name="Host")
    host.groups.add(role_group(Role.HOST_STAFF))
    device = TOTPDevice.objects.create(user=host, name="Load test device", confirmed=True)
    client = Client()
    client.force_login(host)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return {
        "partnership_ids": [p.pk for p in partnerships],
        "cookies": {settings.SESSION_COOKIE_NAME: session.session_key},
    }


class Command(BaseCommand):
    help = "Concurrent sign-ups and admin reads against gunicorn: no errors, no lost sign-ups."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=20.0, help="Stop starting requests after this.")
        parser.add_argument("--signups", type=int, default=300)
        parser.add_argument("--reads", type=int, default=100)
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--output", default="", help="Also write the figures here (JSON).")
        parser.add_argument(
            "--in-current-db",
            action="store_true",
            help="Seed the current, empty database and serve it (a copy, on SQLite): for the test suite.",
        )

    def handle(self, *args, in_current_db, **options):
        with contextlib.suppress(RuntimeError):  # already set up (the test runner)
            setup_test_environment()
        with tempfile.TemporaryDirectory(prefix="mnvp-loadtest-") as folder:
            if in_current_db:
                report = self.in_current_db(Path(folder), options)
            else:
                report = self.in_new_db(Path(folder), options)
        if options["output"]:
            Path(options["output"]).write_text(json.dumps(report, indent=2))
        self.stdout.write(self.describe(report))
        problems = report["problems"]
        if problems:
            raise CommandError("Load test failed: " + "; ".join(problems))

    def in_new_db(self, folder: Path, options) -> dict:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(folder / "loadtest.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            data = seed()
            return self.load(loadserver.database_url(), data, options, self.emails_found_by_orm)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def in_current_db(self, folder: Path, options) -> dict:
        from members.models import Partnership

        if Partnership.objects.exists():
            raise CommandError("This database holds data: the load test only runs on one it creates.")
        if connection.in_atomic_block:
            raise CommandError("--in-current-db needs committed data: run it outside a transaction.")
        data = seed()
        if connection.vendor != "sqlite":
            # PostgreSQL: the server works on this very (empty, throwaway) database, and what it
            # wrote is read back through the ORM.
            return self.load(loadserver.database_url(), data, options, self.emails_found_by_orm)
        copy = folder / "loadtest.sqlite3"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)

        def found(emails):
            with contextlib.closing(sqlite3.connect(copy)) as db:
                return self.emails_in(db.execute, emails)

        return self.load(f"sqlite:///{copy}", data, options, found)

    @staticmethod
    def emails_in(execute, emails) -> set[str]:
        found = set()
        emails = list(emails)
        for start in range(0, len(emails), 500):
            chunk = emails[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = (
                "SELECT p.email FROM members_person p JOIN members_application a ON a.person_id = p.id "
                f"WHERE p.email IN ({marks})"
            )
            found.update(row[0] for row in execute(sql, chunk))
        return found

    @staticmethod
    def emails_found_by_orm(emails) -> set[str]:
        from members.models import Person

        return set(
            Person.objects.filter(email__in=list(emails), applications__isnull=False).values_list(
                "email", flat=True
            )
        )

    def load(self, db_url: str, data: dict, options, emails_found) -> dict:
        run = f"{random.randrange(16**6):06x}"
        form = signup_form(data["partnership_ids"], run)
        with loadserver.gunicorn(db_url, workers=options["workers"], threads=options["threads"]) as base:
            tasks = []
            reads = iter(range(options["reads"]))
            for n in range(options["signups"]):
                _get, post = loadserver.signup_action(base, "/get-involved/", n, form, b"Thank you")
                tasks.append(("sign-up", post))
                # Admin reads spread through the sign-ups.
                if options["signups"] and n % max(1, options["signups"] // max(1, options["reads"])) == 0:
                    i = next(reads, None)
                    if i is not None:
                        tasks.append(("admin read", self.admin_read(base, data["cookies"], i)))
            tasks.extend(("admin read", self.admin_read(base, data["cookies"], i)) for i in reads)
            result = loadserver.run_load(
                tasks, concurrency=options["concurrency"], seconds=options["seconds"]
            )

        accepted = {o.email for o in result.of("sign-up") if o.ok}
        lost = accepted - emails_found(accepted)
        problems = []
        if result.errors():
            statuses = sorted({o.status for o in result.errors()})
            problems.append(
                f"{len(result.errors())} server errors or unanswered requests (status {statuses})"
            )
        refused = [o for o in result.of("admin read") if not o.ok]
        if refused:
            problems.append(f"{len(refused)} admin reads not answered with the page")
        if lost:
            problems.append(f"{len(lost)} thanked sign-ups missing from the database")
        if not result.of("sign-up"):
            problems.append("no sign-up was sent")
        return {
            "database": connection.vendor,
            "workers": options["workers"],
            "threads": options["threads"],
            "concurrency": options["concurrency"],
            "wall_seconds": round(result.wall_seconds, 2),
            "sign-up": result.summary("sign-up"),
            "admin read": result.summary("admin read"),
            "accepted_signups": len(accepted),
            "lost_signups": len(lost),
            "problems": problems,
        }

    @staticmethod
    def admin_read(base: str, cookies: dict, i: int):
        url = ADMIN_READS[i % len(ADMIN_READS)]

        def read():
            visitor = loadserver.Visitor(base, f"192.168.{i // 256 % 256}.{i % 256}", cookies=cookies)
            status, _content = visitor.request(url)
            return status, status == 200, ""

        return read

    @staticmethod
    def describe(report: dict) -> str:
        lines = [
            f"Load test on {report['database']}: gunicorn {report['workers']} workers x "
            f"{report['threads']} threads, {report['concurrency']} clients, {report['wall_seconds']} s",
            "| requests | count | answered well | errors | median ms | p95 ms | s per request |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for kind in ("sign-up", "admin read"):
            s = report[kind]
            lines.append(
                f"| {kind} | {s['requests']} | {s['ok']} | {s['errors']} | {s['median'] * 1000:.0f} "
                f"| {s['p95'] * 1000:.0f} | {s['seconds_per_request']:.3f} |"
            )
        lines.append(
            f"Sign-ups thanked: {report['accepted_signups']}; missing afterwards: {report['lost_signups']}."
        )
        return "\n".join(lines)
