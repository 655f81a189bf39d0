"""Every admin URL, requested by every role, answers what tests/cms/permission_expectations.py says.

The URLs are found by walking the URL resolver under /admin/, so a view added later is
requested too, and the test fails until the table says who may open it. Object URLs are
filled with a record of Northshire (the lead's and the commissioner's own MNVP) and one
of Southvale. Views are requested with GET only; a POST-only action must refuse GET
(405), and one POST to it by someone who may not act changes nothing.

``PERMISSION_MATRIX_DUMP=/tmp/matrix`` writes what every URL answered, one JSON file per role.
"""

from __future__ import annotations

import datetime
import json
import os
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.enums import ImportKind, MembershipRole, PPVCategory, Role
from members.scoping import is_scoped_model, scope_q
from tests.factories import (
    ApplicationFactory,
    CaseFactory,
    ConcernFactory,
    CourseFactory,
    DBSCheckFactory,
    MembershipFactory,
    PartnershipFactory,
    PersonFactory,
    ReferencePopulationFactory,
    RoleRequirementFactory,
    TrainingRecordFactory,
    UserFactory,
    commissioner_of,
    handled_by,
    lead_of,
)

from . import permission_expectations as table

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n% a certificate\n"

# URL names that are not admin screens: the catch-all 404 and Wagtail's deliberate error page.
IGNORED = {None, "wagtailadmin_error_test"}


# --- The URLs ------------------------------------------------------------------------------


def admin_patterns():
    """(name, pattern, view callable) for every named URL under /admin/."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else None
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    inner or pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield prefix + str(pattern.pattern), name, pattern

    found = []
    for route, name, pattern in walk(get_resolver().url_patterns, "", None):
        if route.startswith("admin/") and name not in IGNORED:
            found.append((name, pattern))
    return found


def kwarg_names(pattern: URLPattern) -> list[str]:
    inner = pattern.pattern
    if hasattr(inner, "converters") and inner.converters:
        return list(inner.converters)
    return list(inner.regex.groupindex)


def view_model(pattern: URLPattern):
    callback = pattern.callback
    model = getattr(callback, "view_initkwargs", {}).get("model")
    model = model or getattr(getattr(callback, "view_class", None), "model", None)
    if isinstance(model, type) and issubclass(model, models.Model):
        return model
    return None


# Views whose model Wagtail does not declare on the view.
PK_MODELS = {
    **{
        f"wagtailadmin_workflows:{view}": "wagtailcore.Workflow"
        for view in ("edit", "enable", "disable", "usage", "usage_results")
    },
    **{
        f"wagtailadmin_workflows:{view}": "wagtailcore.Task"
        for view in ("edit_task", "enable_task", "disable_task")
    },
    "wagtaildocs_chooser:chosen": "wagtaildocs.Document",
    "wagtailimages_chooser:chosen": "wagtailimages.Image",
    "wagtailadmin_editing_sessions:ping": "wagtailcore.Page",
    "wagtailadmin_pages:revisions_compare": "wagtailcore.Page",
    "wagtailsettings:edit": "wagtailcore.Site",
    "wagtailsettings:preview_on_edit": "wagtailcore.Site",
    # A milestone's page lists its updates; the attachment is the update's.
    "milestones:attachment": "workplans.MilestoneUpdate",
}


# --- The world: one record of each kind in each MNVP -----------------------------------------


def build_world():
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection

    from cms.models import FailedTask
    from privacy.enums import RequestKind
    from privacy.models import RetentionRun
    from privacy.services.requests import record_request
    from safeguarding.services import cases as case_services
    from tests.safeguarding.directory_factories import RiskAssessmentFactory, SupportOrganisationFactory
    from tests.workplans.activity_factories import (
        ActivityVolunteerFactory,
        BirthingPopulationFactory,
        EngagementActivityFactory,
        YouSaidWeDidFactory,
    )
    from tests.workplans.feedback_factories import FeedbackItemFactory, FeedbackThemeFactory
    from tests.workplans.meeting_factories import CommitteeFactory, MeetingAttendanceFactory, MeetingFactory
    from tests.workplans.money_factories import BudgetLineFactory, member
    from tests.workplans.plan_factories import MilestoneFactory, MilestoneUpdateFactory, WorkplanFactory
    from workplans.enums import ExpenseKind, PaymentLength, RemunerationRoute
    from workplans.services import claims as claim_services
    from workplans.services import leadership as leadership_services
    from workplans.services import payments as payment_services

    north = PartnershipFactory(name="Northshire MNVP", slug="northshire")
    south = PartnershipFactory(name="Southvale MNVP", slug="southvale")
    users = {
        table.SUPERUSER: UserFactory(username="root", is_superuser=True, is_staff=True),
        table.HOST: UserFactory(username="host", role=Role.HOST_STAFF),
        table.DSL: UserFactory(username="dsl", role=Role.SAFEGUARDING_LEAD),
        table.HANDLER: UserFactory(username="handler", role=Role.CASE_HANDLER),
        table.GRIEVANCE: UserFactory(username="grievance", role=Role.GRIEVANCE_MANAGER),
        table.DBS: UserFactory(username="dbs", role=Role.DBS_VERIFIER),
        table.LEAD: lead_of(north, username="north.lead"),
        table.ICB: commissioner_of(north, username="icb.north"),
        table.NOBODY: UserFactory(username="nobody"),
        table.ANON: None,
    }
    lead_of(south, username="south.lead")
    host = users[table.HOST]
    course = CourseFactory(name="Safeguarding adults level 1")
    RoleRequirementFactory(role=MembershipRole.VOLUNTEER, courses=[course])
    ReferencePopulationFactory()
    theme = FeedbackThemeFactory(name="Waiting")
    SupportOrganisationFactory()
    Document.objects.create(title="Leaflet", file=SimpleUploadedFile("leaflet.pdf", PDF))
    Image.objects.create(title="Logo", file=get_test_image_file())
    Redirect.objects.create(old_path="/old", redirect_link="https://example.org/")
    Collection.get_first_root_node().add_child(name="Leaflets")
    CommitteeFactory(host_board=True)
    extra = {}
    for side, partnership in (("north", north), ("south", south)):
        person = member(partnership, PPVCategory.C, first_name=side.title(), last_name="Member")
        ApplicationFactory(person=PersonFactory(), partnership=partnership)
        TrainingRecordFactory(
            person=person, course=course, certificate=SimpleUploadedFile("certificate.pdf", PDF)
        )
        DBSCheckFactory(person=person)
        record_request(person, RequestKind.ACCESS, note=f"{side} request")
        ReferencePopulationFactory(partnership=partnership)
        plan = WorkplanFactory(partnership=partnership)
        milestone = MilestoneFactory(objective__workplan=plan, owner=host)
        MilestoneUpdateFactory(milestone=milestone, by=host, attachment=SimpleUploadedFile("update.pdf", PDF))
        line = BudgetLineFactory(workplan=plan)
        claim = claim_services.create_claim(
            partnership=partnership, claimant=person, purpose=f"{side} board", acting_user=host
        )
        item = claim_services.add_expense_item(
            claim=claim,
            kind=ExpenseKind.FARES,
            spent_on=TODAY,
            description="Train",
            amount=Decimal("12.40"),
            receipt=SimpleUploadedFile("ticket.pdf", PDF),
            acting_user=host,
        )
        payment_services.record_benefits_advice(person=person, told_on=TODAY, acting_user=host)
        payment_services.record_involvement_payment(
            person=person,
            partnership=partnership,
            activity=f"{side} LMNS board",
            activity_on=TODAY,
            length=PaymentLength.HALF_DAY,
            acting_user=host,
            budget_line=line,
        )
        activity = EngagementActivityFactory(partnership=partnership)
        volunteer = ActivityVolunteerFactory(activity=activity, person=person)
        BirthingPopulationFactory(partnership=partnership)
        YouSaidWeDidFactory(partnership=partnership)
        FeedbackItemFactory(partnership=partnership, themes=[theme])
        meeting = MeetingFactory(partnership=partnership, held_on=TODAY - datetime.timedelta(days=7))
        attendance = MeetingAttendanceFactory(meeting=meeting, person=member(partnership, PPVCategory.A))
        lead_membership = MembershipFactory(
            partnership=partnership,
            role=MembershipRole.LEAD,
            ppv_category=PPVCategory.C,
            start_date=datetime.date(2015, 1, 1),
        )
        leadership_services.create_lead_arrangement(
            membership=lead_membership,
            remuneration_route=RemunerationRoute.EMPLOYED,
            hours_per_month=Decimal("40.0"),
            annual_remuneration=Decimal("18000.00"),
            acting_user=host,
        )
        ConcernFactory(partnership=partnership, reported_by=users[table.NOBODY])
        RiskAssessmentFactory(partnership=partnership)
        case = CaseFactory(partnership=partnership)
        document = case_services.attach_document(
            case=case,
            title="Statement",
            file=SimpleUploadedFile("statement.pdf", PDF),
            acting_user=users[table.GRIEVANCE],
        )
        extra[side] = {
            "item_pk": item.pk,
            "volunteer_pk": volunteer.pk,
            "attendance_pk": attendance.pk,
            "document_pk": document.pk,
            "year": plan.year,
            "case": case,
        }
    handled_by(extra["north"]["case"], users[table.HANDLER])
    FailedTask.objects.create(task_name="members.tasks.send_reminder", exception_type="SMTPException")
    RetentionRun.objects.create()
    return {"north": north, "south": south, "users": users, "extra": extra}


# --- Filling URLs --------------------------------------------------------------------------


def home_page_id():
    from wagtail.models import Page

    return Page.objects.filter(depth=2).order_by("pk").values_list("pk", flat=True).first()


IMPORT_KINDS = {
    "people": ImportKind.PEOPLE,
    "memberships": ImportKind.MEMBERSHIPS,
    "training_records": ImportKind.TRAINING,
    "feedback_items": ImportKind.FEEDBACK,
}


def import_job(world, side, role, namespace):
    """An import of the requesting user for ``north``; someone else's for ``south``."""
    from members.models import ImportJob

    owner = world["users"].get(role) if side == "north" else world["users"][table.SUPERUSER]
    owner = owner or world["users"][table.SUPERUSER]
    job, _ = ImportJob.objects.get_or_create(
        created_by=owner,
        kind=IMPORT_KINDS[namespace],
        defaults={"file_name": "rows.csv", "file_format": "csv", "content": b"email\n"},
    )
    return job.pk


def object_of(model, world, side):
    """A record of ``model`` in the side's MNVP and not the other's (for a host-wide model, any)."""
    queryset = model._default_manager.order_by("pk")
    if model._meta.label == "wagtailcore.Collection":
        queryset = queryset.filter(depth__gt=1)  # the root collection cannot be edited
    if is_scoped_model(model):
        other = "south" if side == "north" else "north"
        queryset = queryset.filter(scope_q(model, [world[side].pk]))
        only_theirs = queryset.exclude(scope_q(model, [world[other].pk]))
        queryset = only_theirs if only_theirs.exists() else queryset
    obj = queryset.first()
    if obj is None:
        raise LookupError(f"no {model._meta.label} of {side}: build one in build_world()")
    return obj


def fill(name, pattern, world, side, role, namespace_models, fixed) -> dict | None:
    """The kwargs for ``pattern`` with ``side``'s objects; None if it takes no arguments."""
    names = kwarg_names(pattern)
    if not names:
        return None
    extra = world["extra"][side]
    if name in PK_MODELS:
        model = apps.get_model(PK_MODELS[name])
    else:
        model = view_model(pattern) or namespace_models.get(name.rpartition(":")[0])
    values = dict(fixed)
    for kwarg in names:
        if kwarg in values:
            continue
        if name.startswith("wagtailsettings:") and kwarg == "pk":
            values[kwarg] = settings_pk(fixed)
        elif kwarg in extra:
            values[kwarg] = extra[kwarg]
        elif name.rpartition(":")[0] in IMPORT_KINDS and kwarg == "pk" and "import" in name:
            values[kwarg] = import_job(world, side, role, name.rpartition(":")[0])
        elif name.startswith("cases:") and kwarg == "pk":
            values[kwarg] = extra["case"].pk
        elif name.split(":")[0] in ("annual_reports", "funding_requests") and kwarg == "pk":
            values[kwarg] = world[side].pk
        elif name.startswith("wagtailadmin_api:") and kwarg == "pk":
            api_models = {"documents": "wagtaildocs.Document", "images": "wagtailimages.Image"}
            kind = name.split(":")[1]
            values[kwarg] = home_page_id() if kind == "pages" else _first(api_models[kind])(world, side)
        elif kwarg in ("pk", "object_id") and model is not None and model._meta.label == "wagtailcore.Page":
            values[kwarg] = home_page_id()
        elif kwarg in ("pk", "object_id") and model is not None:
            values[kwarg] = object_of(model, world, side).pk
        elif kwarg in GENERIC_KWARGS:
            values[kwarg] = GENERIC_KWARGS[kwarg](world, side)
        else:
            raise LookupError(f"cannot fill <{kwarg}> of {name}: add it to fill() in {__name__}")
    return values


def settings_pk(fixed) -> int:
    """A generic setting's own row (ids are not 1 once other tests have used the sequence), or the site."""
    from wagtail.contrib.settings.models import BaseGenericSetting
    from wagtail.models import Site

    model = apps.get_model(fixed["app_name"], fixed["model_name"])
    if issubclass(model, BaseGenericSetting):
        return model.load().pk
    return Site.objects.get(is_default_site=True).pk


def variants(name):
    """URL names served for several models: one request per model, keyed ``name[model]``."""
    if name in ("wagtailsettings:edit", "wagtailsettings:preview_on_edit"):
        from wagtail.contrib.settings.registry import registry

        return {
            model._meta.label_lower: {"app_name": model._meta.app_label, "model_name": model._meta.model_name}
            for model in registry
        }
    if name == "wagtail_bulk_action":
        from wagtail.admin.views.bulk_action.registry import bulk_action_registry

        bulk_action_registry._scan_for_bulk_actions()
        return {
            f"{app}.{model}.{action}": {"app_label": app, "model_name": model, "action": action}
            for app, by_model in bulk_action_registry.actions.items()
            for model, actions in by_model.items()
            for action in actions
        }
    return None


def _first(label):
    def get(world, side):
        model = apps.get_model(label)
        return model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 999999

    return get


def _const(value):
    return lambda world, side: value


GENERIC_KWARGS = {
    "page_id": lambda world, side: home_page_id(),
    "parent_page_id": lambda world, side: home_page_id(),
    "page_to_move_id": lambda world, side: home_page_id(),
    "destination_id": lambda world, side: home_page_id(),
    "page_pk": lambda world, side: home_page_id(),
    "revision_id": _const(999999),
    "revision_id_a": _const("earliest"),
    "revision_id_b": _const("latest"),
    "task_state_id": _const(999999),
    "workflow_state_id": _const(999999),
    "task_id": _first("wagtailcore.Task"),
    "workflow_pk": _first("wagtailcore.Workflow"),
    "collection_id": lambda world, side: object_of(apps.get_model("wagtailcore.Collection"), world, side).pk,
    "document_id": _first("wagtaildocs.Document"),
    "doc_id": _first("wagtaildocs.Document"),
    "image_id": _first("wagtailimages.Image"),
    "uploaded_file_id": _const(999999),
    "redirect_id": _first("wagtailredirects.Redirect"),
    "session_id": _const(999999),
    "filter_spec": _const("original"),
    "question": _const("ethnicity"),
    "content_type_app_name": _const("home"),
    "content_type_model_name": _const("standardpage"),
    "app_label": _const("home"),
    "model_name": _const("standardpage"),
    "app_name": _const("wagtaildocs"),
    "action_name": _const("approve"),
    "uidb64": _const("MQ"),
    "token": _const("set-password"),
    "person_id": lambda world, side: object_of(apps.get_model("members.Person"), world, side).pk,
    "export_format": _const("csv"),
    "job_id": _const("no-such-job"),
}


# --- Requests and outcomes -------------------------------------------------------------------


def outcome(response) -> str:
    code = response.status_code
    if code in (HTTPStatus.FOUND, HTTPStatus.MOVED_PERMANENTLY):
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return table.LOGIN
        if location == reverse("wagtailadmin_home"):
            return table.DENIED
        return table.REDIRECT
    return str(code)


def side_outcomes(expectation):
    if isinstance(expectation, tuple):
        return {"north": expectation[0], "south": expectation[1]}
    return {"north": expectation, "south": expectation}


def admin_requests(world, role):
    """(key, side, url) for every admin URL: once per side for object URLs, once otherwise."""
    patterns = admin_patterns()
    namespace_models = {}
    for name, pattern in patterns:
        model = view_model(pattern)
        if model is not None and ":" in name:
            namespace_models.setdefault(name.rpartition(":")[0], model)
    found, problems = [], []
    for name, pattern in patterns:
        for key, fixed in (variants(name) or {None: {}}).items():
            for side in ("north", "south"):
                try:
                    kwargs = fill(name, pattern, world, side, role, namespace_models, fixed)
                except LookupError as error:
                    problems.append(str(error))
                    break
                url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
                if side == "south" and (url == found[-1][2] or role == table.SUPERUSER):
                    # The same record for both MNVPs (a host-wide one), or a superuser, whom no
                    # check narrows: once is enough.
                    break
                found.append((f"{name}[{key}]" if key else name, side, url))
                if not kwarg_names(pattern) or set(kwarg_names(pattern)) <= set(fixed) | SIDELESS:
                    break
    return found, problems


# URL arguments that never name an MNVP's record: one request is enough.
SIDELESS = {
    "app_name",
    "model_name",
    "app_label",
    "action",
    "content_type_app_name",
    "content_type_model_name",
}


def request_all(client, world, role):
    """Every admin URL once per side; returns ({(key, side, url): outcome}, problems)."""
    answered = {}
    found, problems = admin_requests(world, role)
    # Logging out ends the session the rest of the requests need: last.
    found.sort(key=lambda request: request[0] == "wagtailadmin_logout")
    for key, side, url in found:
        try:
            response = client.get(url)
            if outcome(response) == table.REDIRECT and response["Location"].startswith(url):
                response = client.get(response["Location"])  # a canonical address below it (settings/<pk>/)
            got = outcome(response)
        except Exception as error:  # a crash is an answer too: a failure, not a stop
            got = f"error {type(error).__name__}: {error}"[:200]
        answered[(key, side, url)] = got
    return answered, problems


@pytest.mark.parametrize("role", table.ROLES)
def test_every_admin_url_answers_each_role_as_the_table_says(role, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    world = build_world()
    client = Client(raise_request_exception=True)
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    answered, problems = request_all(client, world, role)

    dump = os.environ.get("PERMISSION_MATRIX_DUMP")
    if dump:
        os.makedirs(dump, exist_ok=True)
        with open(os.path.join(dump, f"{role}.json"), "w") as out:
            json.dump({f"{key} [{side}]": got for (key, side, url), got in answered.items()}, out, indent=1)

    for (name, side, url), got in sorted(answered.items()):
        expectation = table.expected(name, role)
        if expectation is table.MISSING:
            problems.append(f"{name}: no expectation in permission_expectations.py (answered {got})")
            continue
        want = side_outcomes(expectation)[side]
        if not table.matches(want, got):
            problems.append(f"{name} [{side}] {url}: expected {want}, got {got}")
    assert not problems, f"{len(problems)} mismatches for {role}:\n" + "\n".join(sorted(set(problems)))


# --- POST-only actions: one POST by someone who may not act changes nothing -------------------


def fingerprint():
    """Row counts of every table, and the fields a refused POST could flip without adding a row."""
    from wagtail.models import Page

    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    pages = list(Page.objects.order_by("pk").values_list("pk", "locked", "path", "live"))
    return counts, pages


def post_only_urls(world):
    """(name, url of Southvale's record) for every URL the superuser's GET answers with 405."""
    found, _ = admin_requests(world, table.LEAD)
    by_name = {}
    for key, _side, url in found:
        if table.expected(key, table.SUPERUSER) == table.NOT_ALLOWED and key != "wagtailadmin_logout":
            by_name[key] = url  # Southvale's, when the URL names an MNVP's record
    return sorted(by_name.items())


@pytest.mark.parametrize("role", [table.LEAD, table.ICB, table.NOBODY])
def test_a_post_only_action_refuses_a_post_by_someone_who_may_not_act(role):
    world = build_world()
    client = Client()
    client.force_login(world["users"][role])
    urls = post_only_urls(world)
    assert urls, "the table names POST-only actions"
    problems = []
    for name, url in urls:
        before = fingerprint()
        got = outcome(client.post(url, {}))
        after = fingerprint()
        if before != after:
            changed = {label for label in before[0] if before[0][label] != after[0][label]}
            problems.append(f"{name} {url} ({got}): a refused POST changed {sorted(changed) or 'pages'}")
    assert not problems, "\n".join(problems)


# --- Exports: a listing's CSV needs the listing, and the export permission where there is one --


def export_urls():
    """(namespace, url) of every listing that offers a CSV export."""
    found = []
    for name, pattern in admin_patterns():
        exported = getattr(pattern.callback, "view_initkwargs", {}).get("list_export")
        if name.endswith(":index") and exported:
            found.append((name.rpartition(":")[0], reverse(name) + "?export=csv"))
    return found


@pytest.mark.parametrize("role", table.ROLES)
def test_every_export_answers_each_role_as_the_table_says(role):
    world = build_world()
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    urls = export_urls()
    assert urls
    problems = []
    for namespace, url in urls:
        want = table.expected_export(namespace, role)
        if want is table.MISSING:
            problems.append(f"{namespace}: no expectation for its export")
            continue
        got = outcome(client.get(url))
        if not table.matches(want, got):
            problems.append(f"{url}: expected {want}, got {got}")
    assert not problems, "\n".join(problems)
