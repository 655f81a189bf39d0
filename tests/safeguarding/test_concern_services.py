"""Safeguarding concerns: from report to closure, every refusal, and what the database holds."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cms.models import AccessLogEntry
from safeguarding.enums import ConcernAbout, ConcernCategory, ConcernKind, ConcernStatus, EscalatedTo
from safeguarding.models import Concern
from safeguarding.services import concerns as services
from safeguarding.workflow import STEP_FROM, Step, allowed_steps
from tests.factories import ConcernFactory, PersonFactory

pytestmark = pytest.mark.django_db

NARRATIVE = "Mum said her partner locks her in when he drinks"


def log_rows(concern):
    return list(
        AccessLogEntry.objects.filter(object_id=str(concern.pk), content_type__model="concern")
        .order_by("pk")
        .values_list("action", "detail")
    )


def report(reporter, partnership, **kwargs):
    fields = {"about": ConcernAbout.ADULT_AT_RISK, "what_happened": NARRATIVE, "immediate_risk": False}
    return services.report_concern(reporter=reporter, partnership=partnership, **{**fields, **kwargs})


# Reporting ------------------------------------------------------------------------------


def test_a_lead_reports_with_only_the_three_required_answers(north, north_lead):
    concern = report(north_lead, north)
    assert concern.status == ConcernStatus.RECEIVED
    assert concern.reported_by == north_lead
    assert concern.who_described == ""
    assert [e.text for e in concern.entries.all()] == ["Reported."]
    assert log_rows(concern) == [("create", "reported")]


@pytest.mark.parametrize(
    ("missing", "field"),
    [({"about": ""}, "about"), ({"what_happened": "  "}, "what_happened")],
)
def test_a_report_needs_who_or_what_and_what_happened(north, north_lead, missing, field):
    with pytest.raises(ValidationError) as error:
        report(north_lead, north, **missing)
    assert field in error.value.message_dict
    assert not Concern.objects.exists()


def test_a_lead_reports_only_for_their_own_mnvp(north, south, north_lead):
    with pytest.raises(ValidationError) as error:
        report(north_lead, south)
    assert "partnership" in error.value.message_dict


def test_a_concern_links_to_an_activity_of_its_own_mnvp_only(north, south, north_lead):
    from safeguarding.concern_forms import recent_activities
    from tests.workplans.activity_factories import EngagementActivityFactory

    today = timezone.localdate()
    own = EngagementActivityFactory(partnership=north, held_on=today - datetime.timedelta(days=3))
    other = EngagementActivityFactory(partnership=south, held_on=today - datetime.timedelta(days=3))
    assert report(north_lead, north, linked_activity=own).linked_activity == own
    with pytest.raises(ValidationError) as error:
        report(north_lead, north, linked_activity=other)
    assert "linked_activity" in error.value.message_dict
    offered = recent_activities(type(north).objects.filter(pk=north.pk))
    assert list(offered) == [own]


def test_host_staff_and_dsls_report_for_any_mnvp(north, south, host_staff, dsl):
    assert report(host_staff, south).partnership == south
    assert report(dsl, north).partnership == north


def test_someone_with_no_mnvp_may_still_report(north, case_handler):
    assert report(case_handler, north).reported_by == case_handler


@pytest.mark.parametrize("user", ["north_commissioner", "no_role_user"])
def test_a_login_without_the_report_permission_is_refused(request, north, user):
    with pytest.raises(ValidationError):
        report(request.getfixturevalue(user), north)


def test_an_allegation_must_name_its_subject(north, north_lead):
    with pytest.raises(ValidationError) as error:
        report(north_lead, north, kind=ConcernKind.ALLEGATION)
    assert "subject_person" in error.value.message_dict


def test_an_allegation_names_someone_the_reporter_may_see(north, south, north_lead, host_staff):
    from tests.factories import MembershipFactory

    theirs = MembershipFactory(partnership=north).person
    elsewhere = MembershipFactory(partnership=south).person
    with pytest.raises(ValidationError):
        report(north_lead, north, kind=ConcernKind.ALLEGATION, subject_person=elsewhere)
    allegation = report(north_lead, north, kind=ConcernKind.ALLEGATION, subject_person=theirs)
    assert allegation.subject_person == theirs
    assert report(host_staff, north, kind=ConcernKind.ALLEGATION, subject_person=elsewhere).pk


# The walk from report to closure --------------------------------------------------------


def test_a_concern_walks_from_report_to_closure(north, north_lead, dsl):
    concern = report(north_lead, north, immediate_risk=True, who_described="Jo, ward 4")

    services.acknowledge_concern(concern=concern, acting_user=dsl, note="Called the reporter back")
    assert concern.status == ConcernStatus.ACKNOWLEDGED
    assert concern.acknowledged_by == dsl

    services.triage_concern(
        concern=concern,
        acting_user=dsl,
        categories=[ConcernCategory.DOMESTIC_ABUSE, ConcernCategory.NEGLECT],
    )
    assert concern.status == ConcernStatus.TRIAGED
    assert concern.categories == [ConcernCategory.NEGLECT, ConcernCategory.DOMESTIC_ABUSE]

    services.add_chronology_entry(concern=concern, acting_user=dsl, text="Spoke to the ward manager")
    earlier = timezone.now() - datetime.timedelta(hours=1)
    police = services.record_escalation(
        concern=concern,
        acting_user=dsl,
        to=EscalatedTo.POLICE,
        contact="PC Khan",
        reference="NS-2026-0412",
        at=earlier,
    )
    services.record_escalation(
        concern=concern, acting_user=dsl, to=EscalatedTo.LOCAL_AUTHORITY, reference="MASH-88"
    )
    assert concern.status == ConcernStatus.ESCALATED
    assert police.at == earlier
    assert list(concern.escalations.values_list("reference", flat=True)) == ["NS-2026-0412", "MASH-88"]

    services.offer_debrief(concern=concern, acting_user=dsl, notes="Taken up on Tuesday")
    services.record_outcome(concern=concern, acting_user=dsl, outcome="Police attended; family supported")
    services.close_concern(concern=concern, acting_user=dsl)

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert concern.closed_by == dsl
    assert concern.closed_at is not None
    assert concern.debrief_offered
    assert concern.outcome == "Police attended; family supported"
    # In the order written; the chronology itself is ordered by when things happened.
    assert [e.text for e in concern.entries.order_by("pk")] == [
        "Reported with immediate risk.",
        "Acknowledged.\nCalled the reporter back",
        "Triaged: Neglect, Domestic abuse.",
        "Spoke to the ward manager",
        "Escalated to Police (PC Khan), reference NS-2026-0412.",
        "Escalated to Local authority (MASH / adult social care), reference MASH-88.",
        "Debrief offered to the reporter.",
        "Outcome recorded.",
        "Closed.",
    ]
    assert concern.entries.first().text.startswith("Escalated to Police")  # an hour before the report
    assert [action for action, _ in log_rows(concern)] == ["create"] + ["change"] * 8
    assert ("change", "escalated to police, ref NS-2026-0412") in log_rows(concern)


def test_a_closed_concern_can_be_reopened_with_a_reason(north, dsl):
    concern = ConcernFactory(partnership=north)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    services.triage_concern(concern=concern, acting_user=dsl, categories=[ConcernCategory.OTHER])
    services.record_outcome(concern=concern, acting_user=dsl, outcome="No further action")
    services.close_concern(concern=concern, acting_user=dsl)
    with pytest.raises(ValidationError):
        services.reopen_concern(concern=concern, acting_user=dsl, reason=" ")
    services.reopen_concern(concern=concern, acting_user=dsl, reason="The family came back to us")
    assert concern.status == ConcernStatus.TRIAGED
    assert concern.closed_at is None


def test_an_allegation_is_referred_to_the_lado_once(north, dsl):
    allegation = ConcernFactory(partnership=north, allegation=True)
    services.acknowledge_concern(concern=allegation, acting_user=dsl)
    with pytest.raises(ValidationError) as error:
        services.record_lado_referral(concern=allegation, acting_user=dsl, reference="")
    assert "reference" in error.value.message_dict
    services.record_lado_referral(
        concern=allegation, acting_user=dsl, reference="LADO-77", contact="A. Officer"
    )
    assert allegation.status == ConcernStatus.ESCALATED
    assert allegation.lado_reference == "LADO-77"
    assert allegation.escalations.get().to == EscalatedTo.LADO
    with pytest.raises(ValidationError, match="already"):
        services.record_lado_referral(concern=allegation, acting_user=dsl, reference="LADO-78")


def test_a_lado_referral_is_for_allegations_only(north, dsl):
    concern = ConcernFactory(partnership=north)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    with pytest.raises(ValidationError, match="allegation"):
        services.record_lado_referral(concern=concern, acting_user=dsl, reference="LADO-1")


def test_closing_needs_an_outcome(north, dsl):
    concern = ConcernFactory(partnership=north)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    services.triage_concern(concern=concern, acting_user=dsl, categories=[ConcernCategory.OTHER])
    with pytest.raises(ValidationError, match="outcome"):
        services.close_concern(concern=concern, acting_user=dsl)
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.TRIAGED


def test_triage_needs_a_known_category(north, dsl):
    concern = ConcernFactory(partnership=north)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    for categories in ([], ["made_up"]):
        with pytest.raises(ValidationError):
            services.triage_concern(concern=concern, acting_user=dsl, categories=categories)


def test_an_entry_or_escalation_is_not_dated_in_the_future(north, dsl):
    concern = ConcernFactory(partnership=north)
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.add_chronology_entry(concern=concern, acting_user=dsl, text="x", at=tomorrow)
    with pytest.raises(ValidationError):
        services.record_escalation(concern=concern, acting_user=dsl, to=EscalatedTo.POLICE, at=tomorrow)


# Every refusal -----------------------------------------------------------------------------


def concern_in(status, partnership, dsl, *, allegation=False):
    concern = ConcernFactory(partnership=partnership, allegation=allegation)
    if status == ConcernStatus.RECEIVED:
        return concern
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    if status == ConcernStatus.ACKNOWLEDGED:
        return concern
    services.triage_concern(concern=concern, acting_user=dsl, categories=[ConcernCategory.OTHER])
    if status == ConcernStatus.TRIAGED:
        return concern
    services.record_escalation(concern=concern, acting_user=dsl, to=EscalatedTo.TRUST)
    if status == ConcernStatus.ESCALATED:
        return concern
    services.record_outcome(concern=concern, acting_user=dsl, outcome="Done")
    services.close_concern(concern=concern, acting_user=dsl)
    return concern


def take(step, concern, dsl):
    calls = {
        Step.ACKNOWLEDGE: lambda: services.acknowledge_concern(concern=concern, acting_user=dsl),
        Step.TRIAGE: lambda: services.triage_concern(
            concern=concern, acting_user=dsl, categories=[ConcernCategory.NEGLECT]
        ),
        Step.ADD_ENTRY: lambda: services.add_chronology_entry(concern=concern, acting_user=dsl, text="Note"),
        Step.ESCALATE: lambda: services.record_escalation(
            concern=concern, acting_user=dsl, to=EscalatedTo.ICB
        ),
        Step.LADO_REFERRAL: lambda: services.record_lado_referral(
            concern=concern, acting_user=dsl, reference="L-1"
        ),
        Step.DEBRIEF: lambda: services.offer_debrief(concern=concern, acting_user=dsl),
        Step.OUTCOME: lambda: services.record_outcome(concern=concern, acting_user=dsl, outcome="An outcome"),
        Step.CLOSE: lambda: services.close_concern(concern=concern, acting_user=dsl),
        Step.REOPEN: lambda: services.reopen_concern(concern=concern, acting_user=dsl, reason="New facts"),
    }
    return calls[step]()


REFUSED = [(step, status) for step in Step for status in ConcernStatus if status not in STEP_FROM[step]]


@pytest.mark.parametrize(("step", "status"), REFUSED)
def test_each_step_is_refused_where_its_status_does_not_allow_it(north, dsl, step, status):
    concern = concern_in(status, north, dsl, allegation=True)
    before = (log_rows(concern), concern.entries.count())
    with pytest.raises(ValidationError) as error:
        take(step, concern, dsl)
    assert error.value.messages  # a sentence for the DSL, not a traceback
    assert Concern.objects.get(pk=concern.pk).status == status
    assert (log_rows(concern), concern.entries.count()) == before


@pytest.mark.parametrize(("step", "status"), [(s, st) for s in Step for st in STEP_FROM[s]])
def test_each_step_is_allowed_where_its_status_allows_it(north, dsl, step, status):
    concern = concern_in(status, north, dsl, allegation=True)
    if step == Step.CLOSE:
        services.record_outcome(concern=concern, acting_user=dsl, outcome="Done")
    assert step in allowed_steps(concern)
    take(step, concern, dsl)


@pytest.mark.parametrize("user", ["north_lead", "host_staff", "case_handler", "north_commissioner"])
def test_only_a_dsl_takes_a_step(request, north, dsl, user):
    concern = ConcernFactory(partnership=north)
    with pytest.raises(ValidationError):
        services.acknowledge_concern(concern=concern, acting_user=request.getfixturevalue(user))
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.RECEIVED


# Encryption at rest -----------------------------------------------------------------------


def raw(column, table="safeguarding_concern", pk=None):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_narrative_column_holds_no_plain_text(north, north_lead, dsl):
    concern = report(north_lead, north, who_described="Jo on ward 4", action_taken="Rang 999")
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    services.triage_concern(concern=concern, acting_user=dsl, categories=[ConcernCategory.OTHER])
    services.record_outcome(concern=concern, acting_user=dsl, outcome="Referred to the health visitor")
    escalation = services.record_escalation(
        concern=concern, acting_user=dsl, to=EscalatedTo.TRUST, notes="Matron to follow up"
    )

    stored = raw("what_happened", pk=concern.pk)
    assert NARRATIVE not in stored
    assert "partner" not in stored
    assert stored.startswith("fernet:")
    for column, plain in [("who_described", "Jo"), ("action_taken", "999"), ("outcome", "health visitor")]:
        value = raw(column, pk=concern.pk)
        assert value.startswith("fernet:")
        assert plain not in value
    notes = raw("notes", table="safeguarding_escalation", pk=escalation.pk)
    assert notes.startswith("fernet:")
    assert "Matron" not in notes
    for entry in concern.entries.all():
        assert raw("text", table="safeguarding_concernentry", pk=entry.pk).startswith("fernet:")
    assert Concern.objects.get(pk=concern.pk).what_happened == NARRATIVE


def test_rotating_keys_re_encrypts_narratives_so_the_old_key_can_go(settings, north, north_lead):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    concern = report(north_lead, north)
    before = raw("what_happened", pk=concern.pk)
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    after = raw("what_happened", pk=concern.pk)
    assert after != before
    assert after.startswith("fernet:")
    assert NARRATIVE not in after

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key dropped
    assert Concern.objects.get(pk=concern.pk).what_happened == NARRATIVE
    assert Concern.objects.get(pk=concern.pk).entries.get().text == "Reported."

    settings.FIELD_ENCRYPTION_KEYS = [old_key]  # and the old key alone reads nothing now
    with pytest.raises(ImproperlyConfigured):
        Concern.objects.get(pk=concern.pk)


def test_subject_person_is_any_person_for_host_staff(north, host_staff):
    person = PersonFactory()
    concern = report(host_staff, north, kind=ConcernKind.ALLEGATION, subject_person=person)
    assert concern.subject_person == person
