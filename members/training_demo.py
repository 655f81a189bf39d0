"""Demo training: the catalogue, what each role needs, and members in every compliance state.

Dates are relative to today, so the mix stays true whenever the demo is seeded:
about a quarter of current members cleared, a quarter due soon, a quarter lapsed
and a quarter missing something. Idempotent: people who already hold a training
record or a DBS check are left as they are.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from cms.dates import add_months

from .enums import DBSLevel, DBSOutcome, MembershipRole
from .models import Course, DBSCheck, Membership, RoleRequirement, TrainingRecord

DEMO_COURSES = [
    # (name, provider, validity in months or None, certificate required)
    ("Safeguarding adults and children level 1", "Northshire Safeguarding Partnership", 36, False),
    ("Safeguarding adults and children level 2", "Northshire Safeguarding Partnership", 36, True),
    ("Trauma-informed engagement", "Host training team", 24, False),
    ("Data protection and GDPR", "Host training team", 12, False),
    ("Equality and cultural safety", "Host training team", 24, False),
    ("Fifteen Steps for maternity", "NHS England", None, False),
    ("Bereavement-aware listening", "Sands", 24, False),
]
L1, L2, TRAUMA, GDPR, EQUALITY, FIFTEEN_STEPS, BEREAVEMENT = (name for name, *_ in DEMO_COURSES)
DEMO_REQUIREMENTS = {
    MembershipRole.VOLUNTEER: ([L1, GDPR], ""),
    MembershipRole.MEMBER_REPRESENTATIVE: ([L1, GDPR, EQUALITY], ""),
    MembershipRole.LEAD: ([L2, GDPR, TRAUMA], DBSLevel.ENHANCED),
    MembershipRole.NEONATAL_LEAD: ([L2, GDPR, TRAUMA], DBSLevel.ENHANCED),
    MembershipRole.BEREAVEMENT_LEAD: ([L2, GDPR, BEREAVEMENT], DBSLevel.ENHANCED),
    MembershipRole.ADMIN_SUPPORT: ([GDPR], ""),
}


def seed_training() -> None:
    courses = {}
    for name, provider, months, certificate in DEMO_COURSES:
        courses[name], _ = Course.objects.get_or_create(
            name=name,
            defaults={"provider": provider, "validity_months": months, "certificate_required": certificate},
        )
    for role, (names, dbs_level) in DEMO_REQUIREMENTS.items():
        requirement, created = RoleRequirement.objects.get_or_create(
            role=role, defaults={"dbs_level": dbs_level}
        )
        if created:
            requirement.courses.set(courses[name] for name in names)

    today = timezone.localdate()
    memberships = Membership.objects.current(today).select_related("person").order_by("person__email")
    seen = set()
    for index, membership in enumerate(memberships):
        person = membership.person
        if person.pk in seen or person.training_records.exists() or person.dbs_checks.exists():
            continue
        seen.add(person.pk)
        names, dbs_level = DEMO_REQUIREMENTS.get(membership.role, ([], ""))
        _seed_person(person, [courses[name] for name in names], dbs_level, index % 4, today)


def _seed_person(person, needed, dbs_level, mix: int, today: datetime.date) -> None:
    """mix 0: cleared; 1: one course due soon; 2: one course lapsed; 3: one course never done."""
    for position, course in enumerate(needed):
        completed_on = today - datetime.timedelta(days=60)
        if position == 0 and course.validity_months:
            if mix == 1:  # expires in about two weeks
                completed_on = add_months(today, -course.validity_months) + datetime.timedelta(days=14)
            elif mix == 2:  # expired about a month ago
                completed_on = add_months(today, -course.validity_months) - datetime.timedelta(days=30)
        if mix == 3 and position == len(needed) - 1:
            continue
        record = TrainingRecord(person=person, course=course, completed_on=completed_on, notes="Demo record")
        if course.certificate_required:
            certificate = ContentFile(b"%PDF-1.4 demo certificate")
            record.certificate.save("demo-certificate.pdf", certificate, save=False)
        record.save()
    if dbs_level:
        issued_on = today - datetime.timedelta(days=200)
        DBSCheck.objects.create(
            person=person,
            level=dbs_level,
            certificate_number=f"{person.pk:012d}",
            issued_on=issued_on,
            outcome=DBSOutcome.NEEDS_DECISION if mix == 3 else DBSOutcome.CLEAR,
            decided_at=None if mix == 3 else timezone.now(),
            recheck_due_on=add_months(issued_on, 36),
        )
