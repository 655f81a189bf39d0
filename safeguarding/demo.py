"""Demo safeguarding concerns: one in each status, one with immediate risk still waiting.

Made through the services, so each has its chronology and access log rows, as a
real one would. Run by ``seed_demo`` after the demo logins exist; seeding twice
adds nothing (the demo concerns are found by their reporter and activity).
"""

from __future__ import annotations

from django.db import transaction

from members.models import Partnership, User

from .enums import ConcernAbout, ConcernCategory, ConcernKind, ConcernStatus, EscalatedTo
from .models import Concern
from .services import concerns as services

DEMO_ACTIVITY_PREFIX = "Demo: "

# (reporter, MNVP slug, status to reach, immediate risk, what the reporter wrote)
DEMO_CONCERNS = [
    (
        "north.lead",
        "northshire",
        ConcernStatus.RECEIVED,
        True,
        "A mum on the postnatal ward said her partner would 'sort her out' when she got home. "
        "She seemed frightened and asked us not to tell anyone.",
    ),
    (
        "south.lead",
        "southvale",
        ConcernStatus.RECEIVED,
        False,
        "A dad at the café session said the baby had not been seen by the health visitor and "
        "that they had run out of formula twice this month.",
    ),
    (
        "north.lead",
        "northshire",
        ConcernStatus.ACKNOWLEDGED,
        False,
        "Several women on the antenatal ward said call bells went unanswered for long periods overnight.",
    ),
    (
        "host.admin",
        "southvale",
        ConcernStatus.TRIAGED,
        False,
        "A volunteer heard a young mum say she had not eaten for two days so the baby could have milk.",
    ),
    (
        "south.lead",
        "southvale",
        ConcernStatus.ESCALATED,
        False,
        "A woman at the listening event described bruising she said came from her partner.",
    ),
    (
        "north.lead",
        "northshire",
        ConcernStatus.CLOSED,
        False,
        "A parent said a midwife shouted at her and refused pain relief during labour.",
    ),
]


@transaction.atomic
def seed_safeguarding() -> list[Concern]:
    """Create the demo concerns if they are not there yet; return them."""
    existing = Concern.objects.filter(activity__startswith=DEMO_ACTIVITY_PREFIX)
    if existing.exists():
        return list(existing)
    dsl = User.objects.get(username="safeguarding.lead")
    made = []
    for number, (username, slug, status, immediate_risk, what_happened) in enumerate(DEMO_CONCERNS, 1):
        concern = services.report_concern(
            reporter=User.objects.get(username=username),
            partnership=Partnership.objects.get(slug=slug),
            kind=ConcernKind.CONCERN,
            about=ConcernAbout.ADULT_AT_RISK if number % 2 else ConcernAbout.CHILD,
            who_described="First name only; bay 4" if number % 2 else "",
            where="Maternity unit" if number % 2 else "Community café",
            activity=f"{DEMO_ACTIVITY_PREFIX}listening event {number}",
            what_happened=what_happened,
            immediate_risk=immediate_risk,
            action_taken="Gave the National Domestic Abuse Helpline number" if immediate_risk else "",
        )
        _advance(concern, status, dsl)
        made.append(concern)
    return made


def _advance(concern: Concern, status: str, dsl: User) -> None:
    if status == ConcernStatus.RECEIVED:
        return
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    if status == ConcernStatus.ACKNOWLEDGED:
        return
    services.triage_concern(
        concern=concern, acting_user=dsl, categories=[ConcernCategory.NEGLECT, ConcernCategory.PATIENT_SAFETY]
    )
    if status == ConcernStatus.TRIAGED:
        return
    services.record_escalation(
        concern=concern,
        acting_user=dsl,
        to=EscalatedTo.LOCAL_AUTHORITY,
        contact="MASH duty worker",
        reference="MASH-DEMO-0042",
    )
    services.offer_debrief(concern=concern, acting_user=dsl, notes="Offered by phone; accepted.")
    if status == ConcernStatus.ESCALATED:
        return
    services.record_outcome(concern=concern, acting_user=dsl, outcome="Trust investigated; learning shared.")
    services.close_concern(concern=concern, acting_user=dsl)


# --- Grievances and complaints -------------------------------------------------------

# Demo logins of the case roles: username -> (first name, last name, roles).
DEMO_CASE_LOGINS = {
    "grievance.manager": ("Grace", "Mensah", ["grievance_manager", "host_staff"]),
    "case.handler": ("Callum", "Hughes", ["case_handler"]),
}

# (kind, MNVP slug, raised by, subject person's email or "", summary, stage to reach, handled)
DEMO_CASES = [
    (
        "grievance",
        "northshire",
        "Niamh Roberts",
        "",
        "The lead says planning meetings keep being moved at short notice to times she cannot "
        "attend, and that her views on the outreach plan were left out of the minutes.",
        "investigating",
        True,
    ),
    (
        "complaint_against",
        "southvale",
        "A parent at the Southvale café session",
        "south.lead@example.org",
        "A parent says a volunteer was dismissive when she described her birth experience, and "
        "shared her story with others at the session without asking.",
        "received",
        False,
    ),
]


def seed_cases(password: str) -> list:
    """Demo grievance-role and case-handler logins, a grievance under investigation and a
    complaint waiting for a handler. Made through the services (stage history, access log).
    Seeding twice adds nothing: the demo cases are found by who raised them."""
    from django.contrib.auth.models import Group

    from members.enums import Role
    from members.models import Person
    from members.roles import group_name, sync_role_groups

    from .enums import CaseKind, CaseStage
    from .models import Case
    from .services import cases as case_services

    sync_role_groups()
    users = {}
    for username, (first, last, roles) in DEMO_CASE_LOGINS.items():
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=[group_name(Role(role)) for role in roles]))
        users[username] = user
    manager, handler = users["grievance.manager"], users["case.handler"]

    made = []
    for kind, slug, raised_by, subject_email, summary, stage, handled in DEMO_CASES:
        partnership = Partnership.objects.get(slug=slug)
        existing = Case.objects.filter(partnership=partnership, kind=kind, raised_by_name=raised_by).first()
        if existing:
            made.append(existing)
            continue
        subject = None
        if subject_email:
            subject, _ = Person.objects.get_or_create(
                email=subject_email,
                defaults={"first_name": "Sade", "last_name": "Okafor", "postcode": "SV1 1AA"},
            )
        with transaction.atomic():
            case = case_services.open_case(
                case=Case(
                    kind=CaseKind(kind),
                    partnership=partnership,
                    raised_by_name=raised_by,
                    subject_person=subject,
                    summary=summary,
                ),
                acting_user=manager,
            )
            if handled:
                case_services.assign_handler(case=case, handler=handler, acting_user=manager)
            if stage in (CaseStage.ACKNOWLEDGED, CaseStage.INVESTIGATING):
                case_services.acknowledge(case=case, acting_user=handler, note="Acknowledged by email.")
            if stage == CaseStage.INVESTIGATING:
                case_services.start_investigation(case=case, acting_user=handler)
        made.append(case)
    return made
