"""Host-scale benchmark: each product case next to its baseline, measured in the same run.

    make bench                                        # small dataset on SQLite
    .venv/bin/python manage.py bench --size large     # 50 MNVPs, 100,000 people, 500,000 records
    DATABASE_URL=postgres://... make bench            # the same on PostgreSQL

Never touches real data: it creates a throwaway test database (as the test runner
does) and destroys it afterwards. With ``--in-current-db`` (used by the test suite,
which already runs in a test database) it refuses to run if the database holds any
people or MNVPs.

Each case runs ``--repeat`` times after one warm-up; median and p95 seconds are
reported for the product and the median for its baseline, with the queries of the
product's last run. Writes ``--output`` (JSON: a list of cases) and prints a Markdown table.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import itertools
import json
import math
import random
import statistics
import sys
import tempfile
import time
import types
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import clear_url_caches, include, path, reverse

from cms import loadserver

TODAY = datetime.date(2026, 11, 23)
SEED = 2026
BATCH = 2000

SIZES = {
    # MNVPs, people, training records, imported rows, access log (audit) entries
    "tiny": {"mnvps": 3, "people": 60, "records": 200, "import_rows": 20, "audit": 100},
    "small": {"mnvps": 5, "people": 2_000, "records": 10_000, "import_rows": 1_000, "audit": 20_000},
    "large": {"mnvps": 50, "people": 100_000, "records": 500_000, "import_rows": 10_000, "audit": 1_000_000},
}

COURSES = [
    ("Safeguarding adults and children level 2", 36, True),
    ("Information governance and data protection", 12, False),
    ("Equality, diversity and inclusion", 36, False),
    ("Listening and engagement skills", None, False),
    ("Fifteen Steps for maternity", 24, False),
]
# Role value, share, courses needed (indexes into COURSES), DBS level needed.
ROLES = [
    ("volunteer", 0.75, [0, 1, 3], ""),
    ("member_representative", 0.20, [0, 1, 2, 4], ""),
    ("lead", 0.05, [0, 1, 2, 4], "enhanced_barred"),
]
FORM_BUILDER = "Wagtail form-builder page with the same fields"
CEILING = "minimal Django view (ceiling)"
SEARCH = "Last00001"  # matches ten people at every size but tiny


# Data -------------------------------------------------------------------------------------


def build(size: dict, seed: int = SEED) -> dict:
    """The host's data, reproducibly (fixed seed, fixed dates), by bulk_create."""
    from members.enums import ApplicationStage, DBSLevel, DBSOutcome
    from members.models import (
        Application,
        ApplicationStageChange,
        Course,
        DBSCheck,
        Membership,
        Partnership,
        Person,
        RoleRequirement,
        TrainingRecord,
        User,
    )
    from members.stays import record_stays
    from workplans.enums import ClaimStatus, MilestoneStatus, Theme
    from workplans.models import ExpenseClaim, Milestone, Objective, Workplan

    rng = random.Random(seed)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"MNVP {i:02d}", slug=f"mnvp-{i:02d}", icb_name="Bench ICB", lmns_name="Bench LMNS"
            )
            for i in range(size["mnvps"])
        ]
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

    people = Person.objects.bulk_create(
        [
            Person(first_name=f"First{i}", last_name=f"Last{i:06d}", email=f"person{i}@example.org")
            for i in range(size["people"])
        ],
        batch_size=BATCH,
    )
    roles, weights = [r[0] for r in ROLES], [r[1] for r in ROLES]
    needs_by_role = {r[0]: r[2] for r in ROLES}
    start = TODAY - datetime.timedelta(days=800)
    memberships, applications, histories, needs = [], [], [], []
    stages = list(ApplicationStage.values)
    for index, person in enumerate(people):
        partnership = partnerships[index % len(partnerships)]
        role = rng.choices(roles, weights)[0]
        memberships.append(Membership(person=person, partnership=partnership, role=role, start_date=start))
        needs.append((person.pk, needs_by_role[role], role))
        if index % 2 == 0:
            stage = rng.choice(stages)
            submitted_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                days=rng.randint(0, 320)
            )
            path, when = stage_path(stage, submitted_at, rng)
            applications.append(
                Application(
                    person=person,
                    partnership=partnership,
                    stage=stage,
                    decline_reason="Not the right time" if stage == ApplicationStage.DECLINED else "",
                    submitted_at=submitted_at,
                    stage_changed_at=when[-1],
                )
            )
            histories.append(list(zip(["", *path[:-1]], path, when, strict=True)))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    Application.objects.bulk_create(applications, batch_size=BATCH)
    ApplicationStageChange.objects.bulk_create(
        (
            ApplicationStageChange(application=application, from_stage=old, to_stage=new, changed_at=at)
            for application, history in zip(applications, histories, strict=True)
            for old, new, at in history
        ),
        batch_size=BATCH,
    )
    record_stays()  # bulk_create sends no signals: each stay's end, as the services keep it

    training = []
    while len(training) < size["records"]:
        for person_id, needed, _role in needs:
            if len(training) >= size["records"]:
                break
            course = courses[rng.choice(needed) if rng.random() < 0.9 else rng.randrange(len(courses))]
            completed_on = TODAY - datetime.timedelta(days=rng.randint(1, 4 * 365))
            training.append(
                TrainingRecord(
                    person_id=person_id,
                    course=course,
                    completed_on=completed_on,
                    expires_on=course.expiry_for(completed_on),  # bulk_create skips save()
                    certificate="certificates/2026/11/bench.pdf" if rng.random() < 0.85 else "",
                )
            )
    TrainingRecord.objects.bulk_create(training, batch_size=BATCH)

    checks = []
    for person_id, _needed, role in needs:
        if role == "lead" or rng.random() < 0.05:
            issued_on = TODAY - datetime.timedelta(days=rng.randint(1, 4 * 365))
            checks.append(
                DBSCheck(
                    person_id=person_id,
                    level=DBSLevel.ENHANCED_BARRED,
                    issued_on=issued_on,
                    outcome=DBSOutcome.CLEAR,
                    recheck_due_on=issued_on + datetime.timedelta(days=3 * 365),
                )
            )
    DBSCheck.objects.bulk_create(checks, batch_size=BATCH)

    staff = User.objects.create(username="bench.clerk")
    workplans = Workplan.objects.bulk_create([Workplan(partnership=p, year=2026) for p in partnerships])
    themes = list(Theme.values)
    objectives = Objective.objects.bulk_create(
        [
            Objective(workplan=w, theme=themes[i % len(themes)], title=f"Objective {i}", sort_order=i)
            for w in workplans
            for i in range(5)
        ]
    )
    statuses = list(MilestoneStatus.values)
    milestones = [
        Milestone(
            objective=objective,
            title=f"Milestone {o * 20 + i}",
            due_on=TODAY + datetime.timedelta(days=rng.randint(-200, 200)),
            status=rng.choice(statuses),
        )
        for o, objective in enumerate(objectives)
        for i in range(20)
    ]
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    claim_statuses = list(ClaimStatus.values)
    claims = []
    for index in range(0, len(people), 10):
        status = rng.choice(claim_statuses)
        claims.append(
            ExpenseClaim(
                partnership=partnerships[index % len(partnerships)],
                claimant=people[index],
                purpose=f"Travel to meeting {index}",
                status=status,
                rejection_reason="No receipt" if status == ClaimStatus.REJECTED else "",
                paid_on=TODAY if status == ClaimStatus.PAID else None,
                created_by=staff,
                total=Decimal(rng.randint(500, 9000)) / 100,
            )
        )
    ExpenseClaim.objects.bulk_create(claims, batch_size=BATCH)
    audit = build_access_log(size["audit"], people, staff, rng)
    return {
        "partnerships": partnerships,
        "counts": {
            "mnvps": len(partnerships),
            "people": len(people),
            "memberships": len(memberships),
            "applications": len(applications),
            "stage changes": sum(len(history) for history in histories),
            "training records": len(training),
            "DBS checks": len(checks),
            "milestones": len(milestones),
            "expense claims": len(claims),
            "access log entries": audit,
        },
    }


def stage_path(stage: str, submitted_at: datetime.datetime, rng) -> tuple[list[str], list]:
    """The stages an application in ``stage`` went through, and when it entered each.

    Open stages are reached in the pipeline's order; accepted follows the whole pipeline,
    declined and withdrawn a part of it. Stays last 1 to 30 days.
    """
    from members.enums import ApplicationStage

    pipeline = list(ApplicationStage.values[:6])  # new to induction
    if stage in pipeline:
        path = pipeline[: pipeline.index(stage) + 1]
    elif stage == ApplicationStage.ACCEPTED:
        path = [*pipeline, stage]
    else:
        path = [*pipeline[: rng.randint(1, len(pipeline))], stage]
    when = [submitted_at]
    for _ in path[1:]:
        when.append(when[-1] + datetime.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 23)))
    return path, when


def build_access_log(count: int, people, user, rng) -> int:
    """``count`` audit rows (reads, exports and searches of people's records), in chunks."""
    from django.contrib.contenttypes.models import ContentType

    from cms.models import AccessLogEntry

    content_type = ContentType.objects.get_for_model(people[0]) if people else None
    actions = list(AccessLogEntry.Action.values)
    made = 0
    while made < count:
        chunk = []
        for _ in range(min(BATCH * 5, count - made)):
            person = people[rng.randrange(len(people))]
            chunk.append(
                AccessLogEntry(
                    user=user,
                    action=actions[made % len(actions)],
                    content_type=content_type,
                    object_id=str(person.pk),
                    object_repr=f"{person.first_name} {person.last_name}",
                    detail="",
                    ip_address="10.0.0.1",
                )
            )
            made += 1
        AccessLogEntry.objects.bulk_create(chunk, batch_size=BATCH)
    return made


# Stock Wagtail listings and a minimal sign-up view, on a URLconf of the command's own ---------


LISTINGS = [
    # product viewset name, model path, search term
    ("people", "members.Person", SEARCH),
    ("applications", "members.Application", SEARCH),
    ("training_records", "members.TrainingRecord", SEARCH),
    ("milestones", "workplans.Milestone", "Milestone 1"),
    ("expense_claims", "workplans.ExpenseClaim", SEARCH),
]


def stock_viewset(product):
    """A plain ModelViewSet of the product's model: same page size and search fields, nothing else.

    Model permissions only (Wagtail's ModelPermissionPolicy), no scoping, columns,
    filters or annotations. Built here, registered nowhere global.
    """
    from wagtail.admin.viewsets.model import ModelViewSet
    from wagtail.permission_policies import ModelPermissionPolicy

    model = product.model
    cls = type(
        f"Stock{model.__name__}ViewSet",
        (ModelViewSet,),
        {
            "model": model,
            "permission_policy": ModelPermissionPolicy(model),
            "list_per_page": product.list_per_page,
            "search_fields": list(product.search_fields or []),
            "search_backend_name": None,
            "exclude_form_fields": [],
            "add_to_admin_menu": False,
        },
    )
    return cls(f"bench_{product.name}", url_prefix=f"bench/{product.name}")


def bench_urlconf(stock_viewsets) -> str:
    """The site's URLs plus the stock listings (behind Wagtail's admin check) and the minimal view."""
    from wagtail.admin.auth import require_admin_access
    from wagtail.utils.urlpatterns import decorate_urlpatterns

    stock = []
    for viewset in stock_viewsets:
        # Not on_register(): that would make the stock viewset the admin URL finder of its
        # model for the rest of the process (every later "edit this person" link would point
        # at the benchmark's URLs). Its URL patterns are all the benchmark needs.
        stock.append(
            path(
                f"{viewset.url_prefix}/",
                include((viewset.get_urlpatterns(), viewset.name), namespace=viewset.name),
            )
        )
    module = types.ModuleType("cms_bench_urls")
    module.urlpatterns = [
        path("bench-admin/", include(decorate_urlpatterns(stock, require_admin_access))),
        *loadserver.urlpatterns,  # the site and the minimal sign-up view (the ceiling)
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def form_builder_fields(partnership_ids) -> list[dict]:
    """The sign-up form's own fields as Wagtail form-builder fields, so the baseline asks the same.

    Derived from :class:`members.forms.VolunteerSignupForm` (not a second list to keep in
    step), without its spam fields, which the form builder has no equivalent of. Labels are
    the field names, so the form builder's ``clean_name`` is the name the sign-up posts.
    """
    from django import forms

    from cms.antispam import HONEYPOT_FIELD, TIMESTAMP_FIELD
    from members.forms import VolunteerSignupForm

    form = VolunteerSignupForm(partnerships=None)
    fields = []
    for name, field in form.fields.items():
        if name in (HONEYPOT_FIELD, TIMESTAMP_FIELD):
            continue
        if name == "partnerships":
            kind, choices = "checkboxes", [str(pk) for pk in partnership_ids]
        elif isinstance(field, forms.MultipleChoiceField):
            kind, choices = "checkboxes", [str(value) for value, _label in field.choices]
        elif isinstance(field, forms.ChoiceField):
            kind, choices = "dropdown", [str(value) for value, _label in field.choices if value]
        elif isinstance(field, forms.BooleanField):
            kind, choices = "checkbox", []
        elif isinstance(field, forms.EmailField):
            kind, choices = "email", []
        elif isinstance(field.widget, forms.Textarea):
            kind, choices = "multiline", []
        else:
            kind, choices = "singleline", []
        fields.append(
            {
                "label": name.replace("_", " "),
                "field_type": kind,
                "required": field.required,
                "choices": "\n".join(choices),
                "help_text": str(field.help_text or ""),
            }
        )
    return fields


def form_builder_page(partnership_ids):
    """A Wagtail form-builder page (home.FormPage) with the sign-up's fields, under the home page."""
    from home.form_pages import FormField, FormPage
    from home.models import HomePage

    home = HomePage.objects.first()
    page = FormPage(title="Bench form", slug="bench-form", thank_you_text="<p>Thank you</p>")
    home.add_child(instance=page)
    FormField.objects.bulk_create(
        FormField(page=page, sort_order=order, **field)
        for order, field in enumerate(form_builder_fields(partnership_ids))
    )
    page.save_revision().publish()
    return page


def verified_client(user) -> Client:
    """A test client signed in as ``user`` with the second factor passed (a confirmed TOTP device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Benchmark device", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# Measuring --------------------------------------------------------------------------------


def sample(action, repeat: int) -> dict:
    """One warm-up (unless a single run is asked for), then ``repeat`` timed runs.

    Returns the median, the p95 (nearest rank), the last run's queries and rows.
    """
    if repeat > 1:
        action()
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = action()
            times.append(time.perf_counter() - started)
    ordered = sorted(times)
    return {
        "median": statistics.median(times),
        "p95": ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)],
        "queries": len(captured.captured_queries),
        "rows": rows,
    }


def rolled_back(action):
    """Run ``action`` in a transaction that is rolled back (and its on-commit work dropped)."""

    def run():
        with transaction.atomic():
            result = action()
            transaction.set_rollback(True)
        return result

    return run


def listing_rows(response) -> int:
    context = response.context
    paginator = context.get("paginator") if context is not None else None
    if paginator is not None:
        return paginator.count
    for key in ("object_list", "page_obj"):
        if context is not None and context.get(key) is not None:
            return len(context.get(key))
    return 0


def get(client, url, params=None, expect=200):
    def run():
        response = client.get(url, params or {})
        assert response.status_code == expect, (url, params, response.status_code)
        return listing_rows(response)

    return run


# The command ------------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Benchmark the product against its baselines on a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--output", default="bench-results.json")
        parser.add_argument(
            "--load-requests",
            type=int,
            default=None,
            help="Requests per case against gunicorn (default: 100 small, 400 large); 0 skips them.",
        )
        parser.add_argument("--concurrency", type=int, default=8, help="Client threads against gunicorn.")
        parser.add_argument(
            "--in-current-db",
            action="store_true",
            help="Use the current database (must hold no people or MNVPs): for the test suite.",
        )

    def handle(self, *args, size, repeat, output, in_current_db, load_requests, concurrency, **options):
        with contextlib.suppress(RuntimeError):  # already set up (the test runner)
            setup_test_environment()
        old_name = None
        # gunicorn's processes need a database they can open: not the test runner's in-memory one.
        self.load_requests = 0 if in_current_db else load_requests
        if self.load_requests is None:
            self.load_requests = 400 if size == "large" else 100
        self.concurrency = concurrency
        folder = tempfile.TemporaryDirectory(prefix="mnvp-bench-")
        if not in_current_db and connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder.name) / "bench.sqlite3")
        if in_current_db:
            from members.models import Partnership, Person

            if Person.objects.exists() or Partnership.objects.exists():
                raise CommandError("This database holds data: the benchmark only runs on one it creates.")
        else:
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            cases = self.run(SIZES[size], size, repeat)
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            folder.cleanup()
        with open(output, "w") as handle:
            json.dump(cases, handle, indent=2)
        self.stdout.write(self.table(cases))
        self.stdout.write(f"\nWrote {len(cases)} cases to {output}")

    def run(self, size: dict, size_name: str, repeat: int) -> list[dict]:
        self.repeat = repeat
        from wagtail.admin.viewsets import viewsets as registry

        from members.enums import PartnershipRole, Role
        from members.models import User
        from members.roles import role_group
        from members.services.access import grant_partnership_access

        started = time.perf_counter()
        data = build(size)
        built = time.perf_counter() - started
        counts = ", ".join(f"{value:,} {key}" for key, value in data["counts"].items())
        self.stderr.write(f"Built {counts} on {connection.vendor} in {built:.1f} s; median of {repeat}")

        host = User.objects.create(username="bench.host")
        host.groups.add(role_group(Role.HOST_STAFF))
        lead = User.objects.create(username="bench.lead")
        grant_partnership_access(
            user=lead, partnership=data["partnerships"][0], role=PartnershipRole.MNVP_LEAD
        )
        superuser = User.objects.create(username="bench.super", is_superuser=True, is_staff=True)
        clients = {}
        # The stock listings are read by host staff: a user with the model permissions but
        # not a superuser, like everyone who uses the product (a superuser skips Wagtail's own
        # permission checks and menu filtering, which every product page pays). The access
        # log, which only superusers see in full, is read by a superuser on both sides.
        for label, user in (("host", host), ("lead", lead), ("stock", host), ("super", superuser)):
            clients[label] = verified_client(user)

        registry.populate()
        products = {viewset.name: viewset for viewset in registry.viewsets if hasattr(viewset, "model")}
        stock = {name: stock_viewset(products[name]) for name, _model, _q in LISTINGS}
        stock["access_log"] = stock_viewset(products["access_log"])

        cases = []

        def case(name, product, baseline, *, baseline_name=None, setup=None):
            if setup:
                setup()
            measured = product if isinstance(product, dict) else sample(product, repeat)
            floor = baseline if isinstance(baseline, dict) else sample(baseline, repeat)
            cases.append(
                {
                    "name": name,
                    "product_seconds": round(measured["median"], 5),
                    "product_p95": round(measured["p95"], 5),
                    "baseline": baseline_name,
                    "baseline_seconds": round(floor["median"], 5),
                    "ratio": round(measured["median"] / floor["median"], 2) if floor["median"] else None,
                    "queries": measured["queries"],
                    "baseline_queries": floor["queries"],
                    "rows": measured["rows"],
                }
            )
            self.stderr.write(f"  {name}: {measured['median'] * 1000:.1f} ms, x{cases[-1]['ratio']}")
            return floor

        with override_settings(ROOT_URLCONF=bench_urlconf(stock.values())):
            clear_url_caches()
            try:
                self.listings(case, clients, products, stock, repeat)
                self.access_log(case, clients, products, stock)
                self.reports(case, clients, products, stock, data, repeat)
                self.signup(case, data)
                self.imports(case, host, size)
                self.sweep(case)
            finally:
                clear_url_caches()
        if self.load_requests:
            cases.extend(self.served(data))
        for entry in cases:
            entry["size"] = size_name
            entry["database"] = connection.vendor
        return cases

    def listings(self, case, clients, products, stock, repeat):
        for name, _model, term in LISTINGS:
            product_url = reverse(f"{name}:index")
            stock_url = reverse(f"{stock[name].name}:index")
            per_page = products[name].list_per_page
            model = products[name].model
            for who in ("host", "lead"):
                first = clients[who].get(product_url)
                assert first.status_code == 200, (product_url, who, first.status_code)
                deep = max(1, math.ceil(listing_rows(first) / per_page) // 2)
                pages = [("first page", {}), (f"page {deep}", {"p": deep}), (f"search '{term}'", {"q": term})]
                for label, params in pages:
                    case(
                        f"{name} listing, {who}, {label}",
                        get(clients[who], product_url, params),
                        get(clients["stock"], stock_url, params),
                        baseline_name="stock Wagtail listing",
                    )
            # The plain ORM query for a page, for reference (no scoping, no rendering).
            offset = per_page * 10
            case(
                f"{name}: plain ORM page query (reference)",
                lambda m=model, o=offset, n=per_page: len(
                    list(m._default_manager.order_by("-pk")[o : o + n])
                ),
                get(clients["stock"], stock_url, {"p": 11}),
                baseline_name="stock Wagtail listing",
            )

    def access_log(self, case, clients, products, stock):
        """The audit trail's listing (reads of confidential records), as a superuser: it grows fastest."""
        product_url = reverse("access_log:index")
        stock_url = reverse(f"{stock['access_log'].name}:index")
        first = clients["super"].get(product_url)
        deep = max(1, math.ceil(listing_rows(first) / products["access_log"].list_per_page) // 2)
        for label, params in (
            ("first page", {}),
            (f"page {deep}", {"p": deep}),
            (f"search '{SEARCH}'", {"q": SEARCH}),
        ):
            case(
                f"access log listing, superuser, {label}",
                get(clients["super"], product_url, params),
                get(clients["super"], stock_url, params),
                baseline_name="stock Wagtail listing",
            )

    def reports(self, case, clients, products, stock, data, repeat):
        from members.compliance_cache import forget_compliance
        from members.funnel_cache import forget_funnels
        from members.models import Person

        people_stock = get(clients["stock"], reverse(f"{stock['people'].name}:index"))
        milestones_stock = get(clients["stock"], reverse(f"{stock['milestones'].name}:index"))
        person = (
            Person.objects.filter(memberships__partnership=data["partnerships"][0]).order_by("pk").first()
        )
        edit_stock = get(clients["stock"], reverse(f"{stock['people'].name}:edit", args=[person.pk]))
        for who in ("host", "lead"):
            client = clients[who]
            # Leads see their members' records but do not edit them: their case is the inspect view.
            view = "edit" if who == "host" else "inspect"
            case(
                f"person {view} view, {who}",
                get(client, reverse(f"people:{view}", args=[person.pk])),
                edit_stock,
                baseline_name="stock Wagtail edit view",
            )
            compliance = get(client, reverse("compliance_report:index"))
            case(
                f"compliance report, {who}",
                compliance,
                people_stock,
                baseline_name="stock Wagtail people listing",
            )

            def compliance_after_a_change(compliance=compliance):
                forget_compliance()  # as any training record's save does: the summary is counted again
                return compliance()

            case(
                f"compliance report, {who}, first view after a record changes",
                compliance_after_a_change,
                people_stock,
                baseline_name="stock Wagtail people listing",
            )
            case(
                f"workplan progress, {who}",
                get(client, reverse("workplan_progress:index")),
                milestones_stock,
                baseline_name="stock Wagtail milestones listing",
            )
            funnel = get(client, reverse("members_reports:recruitment_funnel"))
            case(
                f"recruitment funnel, {who}",
                funnel,
                people_stock,
                baseline_name="stock Wagtail people listing",
            )

            def funnel_after_a_change(funnel=funnel):
                forget_funnels()  # as any application's move does: the next view works it out
                return funnel()

            case(
                f"recruitment funnel, {who}, first view after an application moves",
                funnel_after_a_change,
                people_stock,
                baseline_name="stock Wagtail people listing",
            )

    def signup(self, case, data):
        from cms.antispam import HONEYPOT_FIELD, TIMESTAMP_FIELD, issue_token
        from home.demo import seed_public_site
        from members.models import RecruitmentSettings

        seed_public_site(list(data["partnerships"][:3]))
        # A live site has its recruitment settings row (the first sign-up creates it); without
        # it, every rolled-back sign-up here would create it again.
        RecruitmentSettings.load()
        client = Client()
        counter = iter(range(10**9))
        partnership = data["partnerships"][0].pk

        def form_data():
            n = next(counter)
            return {
                "first_name": "Amina",
                "last_name": f"Signup{n}",
                "email": f"signup{n}@example.org",
                "phone": "",
                "postcode": "ns1 2ab",
                "partnerships": [partnership],
                "involvement": ["listening"],
                "availability": ["weekend"],
                "privacy_consent": "on",
                TIMESTAMP_FIELD: issue_token(now=0),  # long ago: a person's pace
                HONEYPOT_FIELD: "",
            }

        def post(url, marker):
            def run():
                cache.clear()  # the per-IP rate limit
                response = client.post(url, form_data())
                assert response.status_code == 200, (url, response.status_code)
                assert marker in response.content, (url, response.content[:500])
                return 1

            return rolled_back(run)

        self.form_page = form_builder_page([p.pk for p in data["partnerships"][:3]])
        form_page_url = self.form_page.url
        for method, product, baselines in (
            (
                "GET",
                get(client, "/get-involved/"),
                [
                    (get(client, form_page_url), FORM_BUILDER),
                    (get(client, "/bench-minimal-signup/"), CEILING),
                ],
            ),
            (
                "POST",
                post("/get-involved/", b"Thank you"),
                [
                    (post(form_page_url, b"Thank you"), FORM_BUILDER),
                    (post("/bench-minimal-signup/", b"Thank you"), CEILING),
                ],
            ),
        ):
            measured = sample(product, self.repeat)  # once, against both baselines
            for baseline, baseline_name in baselines:
                suffix = "" if baseline_name == FORM_BUILDER else ", against the ceiling"
                case(
                    f"sign-up {method} (in-process){suffix}", measured, baseline, baseline_name=baseline_name
                )

    def imports(self, case, user, size):
        from members.enums import ImportKind, ImportStatus
        from members.models import ImportJob, Person
        from members.services.imports import check_import, run_import

        count = size["import_rows"]
        rows = [
            {
                "First name": f"Imported{i}",
                "Last name": f"Row{i}",
                "Email": f"imported{i}@example.org",
                "Phone": f"07700 {i:06d}",
                "Postcode": f"NS{i % 9 + 1} {i % 10}AB",
            }
            for i in range(count)
        ]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        content = buffer.getvalue().encode()

        def bulk():
            Person.objects.bulk_create(
                [
                    Person(
                        first_name=r["First name"],
                        last_name=r["Last name"],
                        email=r["Email"],
                        phone=r["Phone"],
                        postcode=r["Postcode"],
                    )
                    for r in rows
                ],
                batch_size=1000,
            )
            return count

        def job():
            return ImportJob.objects.create(
                kind=ImportKind.PEOPLE,
                created_by=user,
                file_name="bench.csv",
                file_format="csv",
                content=content,
            )

        def check():
            check_import(job().pk)
            return count

        def imported():
            new = job()
            ImportJob.objects.filter(pk=new.pk).update(status=ImportStatus.IMPORTING)
            run_import(new.pk)
            new.refresh_from_db()
            assert new.status == ImportStatus.IMPORTED, new.errors[:3]
            return count

        floor = case(
            f"import {count:,} people (django-import-export)",
            rolled_back(imported),
            rolled_back(bulk),
            baseline_name="bulk insert of the same rows",
        )
        case(
            f"import check (dry run), {count:,} people",
            rolled_back(check),
            floor,
            baseline_name="bulk insert of the same rows",
        )

    def sweep(self, case):
        from members.services.reminders import due_dbs_checks, due_training, sweep_reminders

        def product():
            return len(sweep_reminders(today=TODAY))

        def one_query():
            training = (
                due_training(TODAY).order_by().values_list("pk", "person_id", "milestone", "expires_on")
            )
            dbs = (
                due_dbs_checks(TODAY).order_by().values_list("pk", "person_id", "milestone", "recheck_due_on")
            )
            return len(list(training.union(dbs, all=True)))

        case(
            "reminder sweep (training and DBS)",
            rolled_back(product),
            one_query,
            baseline_name="one ORM query selecting the same due items",
        )

    def served(self, data) -> list[dict]:
        """The sign-up under concurrent load against gunicorn, next to the minimal view on the same server.

        Each request is a new visitor from its own address (GET for the CSRF token, then
        POST as a new person); ``product_seconds`` is seconds per request (the run's wall
        time over its requests, so lower is more throughput), p95 the slowest answers.
        """
        from cms.management.commands.loadtest import signup_form

        ids = [p.pk for p in data["partnerships"][:3]]
        n = self.load_requests
        cases = []
        pages = [
            ("sign-up", "/get-involved/"),
            ("minimal", "/bench-minimal-signup/"),
            ("form builder", self.form_page.url),
        ]
        with loadserver.gunicorn(loadserver.database_url()) as base:
            for label, url in pages:
                form = signup_form(ids, f"{label}-{random.randrange(16**6):06x}")
                # Warm-up, not timed: each worker process loads its code on its first requests.
                warm = [("GET", loadserver.signup_action(base, url, i, form, b"")[0]) for i in range(8)]
                loadserver.run_load(warm, concurrency=self.concurrency, seconds=120)
                for method in ("GET", "POST"):
                    tasks = []
                    for i in range(n):
                        get_action, post_action = loadserver.signup_action(base, url, i, form, b"Thank you")
                        tasks.append((method, get_action if method == "GET" else post_action))
                    result = loadserver.run_load(tasks, concurrency=self.concurrency, seconds=600)
                    summary = result.summary(method)
                    summary["label"], summary["method"] = label, method
                    cases.append(summary)
                    self.stderr.write(
                        f"  {label} {method} under load: "
                        f"{summary['seconds_per_request'] * 1000:.1f} ms/request, {summary['errors']} errors"
                    )
        product = {c["method"]: c for c in cases if c["label"] == "sign-up"}
        out = []
        baselines = [
            ("form builder", "Wagtail form-builder page, same fields, same server"),
            ("minimal", "minimal Django view on the same server (ceiling)"),
        ]
        for (label, baseline), method in itertools.product(baselines, ("GET", "POST")):
            mine = product[method]
            floor = next(c for c in cases if c["label"] == label and c["method"] == method)
            out.append(
                {
                    "name": f"sign-up {method} (gunicorn, {self.concurrency} clients, {n} requests)"
                    + ("" if label == "form builder" else ", against the ceiling"),
                    "product_seconds": round(mine["seconds_per_request"], 5),
                    "product_p95": round(mine["p95"], 5),
                    "baseline": baseline,
                    "baseline_seconds": round(floor["seconds_per_request"], 5),
                    "ratio": round(mine["seconds_per_request"] / floor["seconds_per_request"], 2)
                    if floor["seconds_per_request"]
                    else None,
                    "queries": None,
                    "baseline_queries": None,
                    "rows": mine["requests"],
                    "errors": mine["errors"],
                    "baseline_errors": floor["errors"],
                    "answered_well": mine["ok"],
                }
            )
        return out

    @staticmethod
    def table(cases) -> str:
        lines = [
            "| case | product median ms | p95 ms | baseline ms | ratio | queries | rows | baseline |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for c in cases:
            lines.append(
                f"| {c['name']} | {c['product_seconds'] * 1000:,.1f} | {c['product_p95'] * 1000:,.1f} "
                f"| {c['baseline_seconds'] * 1000:,.1f} | {c['ratio']} | {c['queries'] or '-'} "
                f"| {c['rows']:,} "
                f"| {c['baseline']} |"
            )
        return "\n".join(lines)
