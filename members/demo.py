"""Demo partnerships and logins for `manage.py seed_demo`. Idempotent."""

from __future__ import annotations

from django.contrib.auth.models import Group

from .enums import PartnershipRole, PartnershipStatus, Role, UnitType
from .models import Partnership, ServedUnit, User
from .roles import group_name, sync_role_groups
from .services.access import grant_partnership_access

DEMO_PARTNERSHIPS = [
    {
        "slug": "northshire",
        "name": "Northshire MNVP",
        "icb_name": "Northshire and Southvale ICB",
        "icb_code": "QNS",
        "lmns_name": "Northshire and Southvale LMNS",
        "footprint": "Northtown, Ashby and the villages of the Northshire dales.",
        "contact_email": "hello@northshire-mnvp.example.org",
        "units": [
            (
                "Northshire Hospitals NHS Foundation Trust",
                "Northtown General maternity unit",
                UnitType.OBSTETRIC_UNIT,
            ),
            ("Northshire Hospitals NHS Foundation Trust", "Ashby Birth Centre", UnitType.FREESTANDING_MLU),
            ("Northshire Hospitals NHS Foundation Trust", "Northtown neonatal unit", UnitType.LNU),
        ],
    },
    {
        "slug": "southvale",
        "name": "Southvale MNVP",
        "icb_name": "Northshire and Southvale ICB",
        "icb_code": "QNS",
        "lmns_name": "Northshire and Southvale LMNS",
        "footprint": "Southvale city and the coastal towns of Port Easton and Selby Bay.",
        "contact_email": "hello@southvale-mnvp.example.org",
        "units": [
            ("Southvale University Hospitals NHS Trust", "Southvale Women's Unit", UnitType.OBSTETRIC_UNIT),
            ("Southvale University Hospitals NHS Trust", "Southvale NICU", UnitType.NICU),
        ],
    },
    {
        "slug": "westbrook",
        "name": "Westbrook MNVP",
        "icb_name": "Westbrook ICB",
        "icb_code": "QWB",
        "lmns_name": "Westbrook LMNS",
        "footprint": "Westbrook and the river valley towns.",
        "contact_email": "hello@westbrook-mnvp.example.org",
        "units": [("Westbrook Hospitals NHS Trust", "Westbrook maternity unit", UnitType.OBSTETRIC_UNIT)],
    },
]

# username -> (first name, last name, global role, [(partnership slug, per-MNVP role)])
DEMO_LOGINS = {
    "host.admin": ("Harriet", "Adebayo", Role.HOST_STAFF, []),
    "safeguarding.lead": ("Sunita", "Lal", Role.SAFEGUARDING_LEAD, []),
    "north.lead": ("Niamh", "Roberts", None, [("northshire", PartnershipRole.MNVP_LEAD)]),
    "south.lead": ("Sade", "Okafor", None, [("southvale", PartnershipRole.MNVP_LEAD)]),
    "icb.viewer": (
        "Ian",
        "Clarke",
        None,
        [("northshire", PartnershipRole.ICB_COMMISSIONER), ("southvale", PartnershipRole.ICB_COMMISSIONER)],
    ),
}
# Roles held beside the one above (groups are added, so seeding twice changes nothing).
DEMO_EXTRA_ROLES = {"host.admin": [Role.DBS_VERIFIER]}


def seed_partnerships() -> list[Partnership]:
    partnerships = []
    for spec in DEMO_PARTNERSHIPS:
        spec = dict(spec)
        units = spec.pop("units")
        partnership, _ = Partnership.objects.update_or_create(
            slug=spec.pop("slug"), defaults={**spec, "status": PartnershipStatus.ACTIVE}
        )
        for order, (trust, unit, unit_type) in enumerate(units):
            ServedUnit.objects.update_or_create(
                partnership=partnership,
                trust_name=trust,
                unit_name=unit,
                defaults={"unit_type": unit_type, "sort_order": order},
            )
        partnerships.append(partnership)
    return partnerships


def seed_logins(password: str) -> dict[str, User]:
    """The demo logins of the README, each with ``password``, in their roles and MNVPs."""
    sync_role_groups()
    by_slug = {p.slug: p for p in Partnership.objects.all()}
    users = {}
    for username, (first, last, role, access) in DEMO_LOGINS.items():
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
        if role:
            user.groups.add(Group.objects.get(name=group_name(role)))
        for extra_role in DEMO_EXTRA_ROLES.get(username, []):
            user.groups.add(Group.objects.get(name=group_name(extra_role)))
        for slug, partnership_role in access:
            grant_partnership_access(user=user, partnership=by_slug[slug], role=partnership_role)
        users[username] = user
    from security.demo import seed_demo_devices

    seed_demo_devices(users.values())  # the public demo key, for logins that need two factors
    return users


DEMO_APPLICANTS = [
    # (first, last, email, partnership slug, stage, days in stage)
    ("Amina", "Yusuf", "amina.yusuf@example.org", "northshire", "new", 1),
    ("Grace", "Okonjo", "grace.okonjo@example.org", "northshire", "contacted", 20),
    ("Priya", "Shah", "priya.shah@example.org", "northshire", "conversation", 5),
    ("Megan", "Hughes", "megan.hughes@example.org", "northshire", "checks", 9),
    ("Tom", "Fletcher", "tom.fletcher@example.org", "northshire", "induction", 3),
    ("Hannah", "Kowalski", "hannah.kowalski@example.org", "southvale", "new", 16),
    ("Joy", "Mensah", "joy.mensah@example.org", "southvale", "references", 2),
    ("Sarah", "Begum", "sarah.begum@example.org", "southvale", "declined", 40),
    ("Zainab", "Ali", "zainab.ali@example.org", "westbrook", "contacted", 4),
]
DEMO_MEMBERS = [
    # (first, last, email, partnership slug, role, PPV category)
    ("Niamh", "Roberts", "niamh.roberts@example.org", "northshire", "lead", "C"),
    ("Leah", "Price", "leah.price@example.org", "northshire", "bereavement_lead", "C"),
    ("Carla", "Mendes", "carla.mendes@example.org", "northshire", "volunteer", "B"),
    ("Sade", "Okafor", "sade.okafor@example.org", "southvale", "lead", "C"),
    ("Rachel", "Green", "rachel.green@example.org", "southvale", "neonatal_lead", "C"),
    ("Ben", "Carter", "ben.carter@example.org", "southvale", "volunteer", "A"),
]


def seed_recruitment() -> None:
    """Applicants in every stage (some overdue) and current members of each MNVP."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Application, ApplicationStageChange, Membership, Person

    by_slug = {p.slug: p for p in Partnership.objects.all()}
    now = timezone.now()
    for first, last, email, slug, stage, days in DEMO_APPLICANTS:
        person, _ = Person.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "postcode": "NS1 2AB"}
        )
        if Application.objects.filter(person=person, partnership=by_slug[slug]).exists():
            continue
        when = now - timedelta(days=days)
        application = Application.objects.create(
            person=person,
            partnership=by_slug[slug],
            stage=stage,
            stage_changed_at=when,
            submitted_at=when - timedelta(days=7),
            source="public",
            involvement=["listening", "surveys"],
            availability=["weekend"],
            decline_reason="Lives outside the area we cover." if stage == "declined" else "",
        )
        ApplicationStageChange.objects.create(application=application, to_stage=stage, changed_at=when)
    for first, last, email, slug, role, category in DEMO_MEMBERS:
        person, _ = Person.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "postcode": "NS2 4CD"}
        )
        Membership.objects.get_or_create(
            person=person,
            partnership=by_slug[slug],
            role=role,
            defaults={"ppv_category": category, "start_date": (now - timedelta(days=400)).date()},
        )
    seed_reporting()


# Illustrative host-wide figures, rounded from Census 2021 (England and Wales, ONS), so
# the equality report has something to compare against. The host replaces them with
# figures for its own ICB areas under Settings → Reference population.
DEMO_REFERENCE_SOURCE = "Census 2021, England and Wales (ONS), rounded: demo figures"
DEMO_REFERENCE_POPULATION = {
    "ethnicity": {
        "white_british": "74.40",
        "white_irish": "0.90",
        "white_gypsy_traveller": "0.10",
        "white_roma": "0.20",
        "white_other": "6.20",
        "asian_indian": "3.10",
        "asian_pakistani": "2.70",
        "asian_bangladeshi": "1.10",
        "asian_chinese": "0.70",
        "asian_other": "1.60",
        "black_african": "2.50",
        "black_caribbean": "1.00",
        "black_other": "0.50",
        "mixed_white_asian": "0.80",
        "mixed_white_black_african": "0.40",
        "mixed_white_black_caribbean": "0.80",
        "mixed_other": "0.80",
        "other_arab": "0.60",
        "other_any": "1.60",
    },
    "disability": {"yes_a_lot": "7.50", "yes_a_little": "10.30", "no": "82.20"},
    "religion": {
        "none": "37.20",
        "christian": "46.20",
        "muslim": "6.50",
        "hindu": "1.70",
        "sikh": "0.90",
        "buddhist": "0.50",
        "jewish": "0.50",
        "other": "0.60",
        "prefer_not": "6.00",
    },
}
# Answers cycled over the demo members, so each report has cells above and below 5.
DEMO_EQUALITY_ANSWERS = [
    {"ethnicity": "white_british", "age_band": "25_34", "disability": "no", "religion": "none"},
    {"ethnicity": "white_british", "age_band": "35_44", "disability": "no", "religion": "christian"},
    {"ethnicity": "asian_pakistani", "age_band": "25_34", "disability": "no", "religion": "muslim"},
    {
        "ethnicity": "black_african",
        "age_band": "25_34",
        "disability": "yes_a_little",
        "religion": "christian",
    },
    {"ethnicity": "white_british", "age_band": "18_24", "disability": "yes_a_lot", "religion": "none"},
    {"ethnicity": "mixed_white_black_caribbean", "age_band": "35_44", "disability": "no", "religion": "none"},
    {},  # someone who chose not to answer at all
]
DEMO_EXTRA_MEMBER_COUNT = 28  # across Northshire and Southvale, on top of DEMO_MEMBERS


def seed_reporting() -> None:
    """Host-wide reference figures, more current members, and equality answers for the demo members.

    Idempotent: existing figures are updated, existing answers are left alone.
    """
    from datetime import timedelta

    from django.utils import timezone

    from .models import EqualityMonitoring, Membership, Person, ReferencePopulation

    for question, figures in DEMO_REFERENCE_POPULATION.items():
        for category, percentage in figures.items():
            ReferencePopulation.objects.update_or_create(
                partnership=None,
                question=question,
                category=category,
                defaults={"percentage": percentage, "source": DEMO_REFERENCE_SOURCE},
            )

    by_slug = {p.slug: p for p in Partnership.objects.all()}
    start = timezone.localdate() - timedelta(days=200)
    for number in range(1, DEMO_EXTRA_MEMBER_COUNT + 1):
        person, _ = Person.objects.get_or_create(
            email=f"demo.member{number:02d}@example.org",
            defaults={"first_name": "Demo", "last_name": f"Member {number:02d}", "postcode": "NS3 1AA"},
        )
        slug = "northshire" if number % 2 else "southvale"
        Membership.objects.get_or_create(
            person=person, partnership=by_slug[slug], role="volunteer", defaults={"start_date": start}
        )

    emails = [email for _first, _last, email, *_rest in DEMO_MEMBERS]
    people = Person.objects.filter(email__in=emails) | Person.objects.filter(email__startswith="demo.member")
    for index, person in enumerate(people.order_by("email")):
        if not hasattr(person, "equality_monitoring"):
            EqualityMonitoring.objects.create(
                person=person, **DEMO_EQUALITY_ANSWERS[index % len(DEMO_EQUALITY_ANSWERS)]
            )
