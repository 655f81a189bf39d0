"""Every admin listing and report costs the same number of queries whatever the number of rows.

The demo (``seed_demo``) gives every screen a few rows. Each listing of every
registered admin viewset, and each report, is loaded by every demo login that may
open it (host staff, an MNVP lead, the safeguarding lead, the grievance
manager), and its queries counted. Then every listed table gets
many more rows (each of its rows copied several times, unique values made unique
again) and every page must stay within the bound it set with few rows. A page
whose queries grow with its rows (an N+1) fails here, naming the page and login.
"""

from __future__ import annotations

import copy
import itertools
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from members.models import Person

pytestmark = pytest.mark.django_db

LOGINS = ["host.admin", "north.lead", "safeguarding.lead", "grievance.manager"]
COPIES = 6  # each existing row of a listed table is copied this many times
REPORTS = [
    "compliance_report:index",
    "members_reports:recruitment_funnel",
    "members_reports:equality",
    "workplan_progress:index",
    "workplans_money:budget",
    "workplans_money:tax_year",
    "annual_reports:index",
    "theme_report:index",
    "workplans_representation:index",
    "wagtailadmin_home",
]
# Listed models whose rows cannot be copied blindly (one per thing by design) are still
# measured; these must grow, so the test proves something for the core of the product.
MUST_GROW = {
    "members.Person",
    "members.Application",
    "members.Membership",
    "members.TrainingRecord",
    "members.DBSCheck",
    "workplans.Milestone",
    "workplans.ExpenseClaim",
    "cms.AccessLogEntry",
}


def listing_urls():
    from wagtail.admin.viewsets import viewsets as registry

    registry.populate()
    urls = {}
    for viewset in registry.viewsets:
        model = getattr(viewset, "model", None)
        if model is None or not hasattr(viewset, "get_url_name"):
            continue
        try:
            urls[viewset.name] = (reverse(viewset.get_url_name("index")), model)
        except NoReverseMatch:
            continue
    for name in REPORTS:
        try:
            urls[name] = (reverse(name), None)
        except NoReverseMatch:  # a report another piece has not landed yet
            continue
    return urls


_serial = itertools.count(1)


def copy_rows(model, copies: int) -> int:
    """Copy each row of ``model`` ``copies`` times; returns how many copies were saved."""
    if model._meta.abstract or model._meta.proxy or model._meta.parents:
        return 0
    saved = 0
    for original in list(model._default_manager.all()[:50]):
        for _ in range(copies):
            clone = copy.copy(original)
            clone.pk = None
            clone._state = models.base.ModelState()
            n = next(_serial)
            for field in model._meta.concrete_fields:
                if field.primary_key or not (field.unique or field.name in ("slug", "email", "reference")):
                    continue
                value = getattr(clone, field.attname)
                if isinstance(field, models.EmailField) and value:
                    setattr(clone, field.attname, f"copy{n}.{value}")
                elif isinstance(field, (models.CharField, models.SlugField)) and value:
                    setattr(clone, field.attname, f"{value}-{n}"[: field.max_length])
            if not _saved(clone):
                # One row per person and MNVP (a membership, say): the copy belongs to a new person.
                people = [f for f in model._meta.concrete_fields if f.related_model is Person]
                for field in people:
                    setattr(clone, field.attname, _new_person().pk)
                if not people or not _saved(clone):
                    break
            saved += 1
    return saved


def _saved(obj) -> bool:
    try:
        with transaction.atomic():
            obj.save()
    except Exception:  # a rule of the model we cannot guess: leave that row
        return False
    return True


def _new_person():
    n = next(_serial)
    return Person.objects.create(first_name="Copy", last_name=f"Person{n}", email=f"copy{n}@example.org")


def count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries)


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password")
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())


def test_every_listing_and_report_runs_the_same_queries_for_few_and_many_rows(
    demo, django_assert_max_num_queries
):
    from members.models import User

    clients = {}
    for username in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        clients[username] = Client()
        clients[username].force_login(user)
    urls = listing_urls()
    assert {"people", "training_records", "compliance_report:index"} <= set(urls)

    few = {}
    for (name, (url, _model)), (username, client) in itertools.product(urls.items(), clients.items()):
        status, queries = count_queries(client, url)
        if status == HTTPStatus.OK:
            few[(name, username)] = queries
    # Every login that may open a page was measured; the core pages by both host staff and a lead.
    for name in ("people", "applications", "training_records", "milestones", "compliance_report:index"):
        assert (name, "host.admin") in few, name
        assert (name, "north.lead") in few, name

    grown = set()
    for _url, model in {u for u in urls.values() if u[1] is not None}:
        if copy_rows(model, COPIES):
            grown.add(model._meta.label)
    assert grown >= MUST_GROW, MUST_GROW - grown

    over = []
    for (name, username), bound in few.items():
        status, queries = count_queries(clients[username], urls[name][0])
        assert status == HTTPStatus.OK, (name, username, status)
        if queries > bound:
            over.append(f"{name} as {username}: {bound} queries with few rows, {queries} with many")
    assert not over, "\n".join(over)
    # And the same bound, said the usual way, for the pages the benchmark times.
    for name, username in [("people", "north.lead"), ("training_records", "host.admin")]:
        with django_assert_max_num_queries(few[(name, username)]):
            clients[username].get(urls[name][0])
