"""Demo public site for `manage.py seed_demo`. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Page, Site

from members.models import Partnership
from safeguarding.enums import SupportArea, SupportTopic
from safeguarding.models import SupportOrganisation
from workplans.enums import ActivityKind
from workplans.models import EngagementActivity

from .models import HomePage, MNVPPage, SignpostingPage, SiteContact, StandardPage, VolunteerSignupPage

HOME_INTRO = (
    "<p>We bring together families who have used maternity and neonatal care and the people who plan "
    "and provide it, so that care gets better for everyone. Find your local Maternity and Neonatal "
    "Voices Partnership below.</p>"
)


def seed_public_site(partnerships: list[Partnership]) -> HomePage:
    home = _home_page()
    for partnership in partnerships:
        _mnvp_page(home, partnership)
    _child(
        home,
        StandardPage,
        slug="about-us",
        title="About us",
        show_in_menus=True,
        body=[
            (
                "paragraph",
                "<p>We are a local charity that hosts Maternity and Neonatal Voices Partnerships for our "
                "Integrated Care Board. We recruit and support the volunteers, pay their expenses, and make "
                "sure families' voices reach the people who plan care.</p>",
            )
        ],
    )
    _child(
        home,
        VolunteerSignupPage,
        slug="get-involved",
        title="Get involved",
        show_in_menus=True,
        intro="<p>Tell us a little about yourself and we will be in touch. It takes about five minutes.</p>",
    )
    seed_signposting(home, partnerships)
    contact = SiteContact.for_site(Site.objects.get(is_default_site=True))
    contact.organisation_name = "Shire Voices Partnership Trust"
    contact.email = "hello@shire-voices.example.org"
    contact.phone = "01632 960 000"
    contact.footer_text = (
        "Hosting Maternity and Neonatal Voices Partnerships in Northshire, Southvale and Westbrook."
    )
    contact.save()
    return home


def _home_page() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    welcome = root.get_children().filter(slug="home").first()
    if welcome is not None:
        # Wagtail's own "Welcome" page: move its slug aside so ours can take it.
        welcome.slug = "wagtail-welcome"
        welcome.save()
    home = root.add_child(
        instance=HomePage(title="Maternity and Neonatal Voices", slug="home", intro=HOME_INTRO)
    )
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="MNVP host")
    else:
        site.root_page = home
        site.save()
    if welcome is not None:
        welcome.delete()
    return home


def _child(parent, page_class, *, slug, **fields):
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    if page:
        return page
    page = parent.add_child(instance=page_class(slug=slug, **fields))
    page.save_revision().publish()
    return page


def _mnvp_page(home, partnership: Partnership) -> MNVPPage:
    existing = MNVPPage.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    name = partnership.name
    return _child(
        home,
        MNVPPage,
        slug=partnership.slug,
        title=name,
        partnership=partnership,
        show_in_menus=False,
        summary=(
            "Parents, families and staff working together to make maternity and neonatal care better "
            "for everyone, especially the families heard least often."
        ),
        about=(
            f"<p>{name} is a group of local parents, families and staff. We listen to what families say "
            "about their care during pregnancy, birth, after birth and in the neonatal unit, and we work "
            "with the hospital teams to make changes.</p><p>We are especially keen to hear from families "
            "whose voices are heard least often.</p>"
        ),
        where_we_listen=(
            "<ul><li>Baby groups and children's centres</li><li>The antenatal clinic waiting room</li>"
            "<li>Online, through our surveys</li></ul>"
        ),
        get_in_touch="<p>Tell us about your experience, good or bad. We read every message.</p>",
    )


# National organisations with their published contact details (checked late 2026; the
# host keeps them current in the admin). Where we were not sure of a number, the
# website only.
NATIONAL_ORGANISATIONS = [
    {
        "name": "Sands",
        "description": "Support for anyone affected by the death of a baby before, during or after birth.",
        "helps_with": [SupportTopic.BEREAVEMENT],
        "phone": "0808 164 3332",
        "email": "helpline@sands.org.uk",
        "website": "https://www.sands.org.uk",
    },
    {
        "name": "Tommy's",
        "description": "Pregnancy information and a free midwife helpline, including after a loss.",
        "helps_with": [SupportTopic.PREGNANCY, SupportTopic.BEREAVEMENT],
        "phone": "0800 014 7800",
        "website": "https://www.tommys.org",
    },
    {
        "name": "Bliss",
        "description": "For families of babies born premature or sick and cared for in neonatal units.",
        "helps_with": [SupportTopic.NEONATAL],
        "website": "https://www.bliss.org.uk",
    },
    {
        "name": "Samaritans",
        "description": "Someone to talk to, day or night, whatever you are going through.",
        "helps_with": [SupportTopic.MENTAL_HEALTH],
        "phone": "116 123",
        "email": "jo@samaritans.org",
        "website": "https://www.samaritans.org",
    },
    {
        "name": "National Domestic Abuse Helpline (Refuge)",
        "description": "Free, confidential support for anyone experiencing domestic abuse, 24 hours a day.",
        "helps_with": [SupportTopic.DOMESTIC_ABUSE],
        "phone": "0808 2000 247",
        "website": "https://www.nationaldahelpline.org.uk",
    },
    {
        "name": "Maternal Mental Health Alliance",
        "description": "Information about perinatal mental health and where to find help near you.",
        "helps_with": [SupportTopic.MENTAL_HEALTH],
        "website": "https://maternalmentalhealthalliance.org",
    },
    {
        "name": "National Childbirth Trust (NCT)",
        "description": "Support and information for parents through pregnancy, birth and early parenthood.",
        "helps_with": [SupportTopic.PREGNANCY, SupportTopic.INFANT_FEEDING, SupportTopic.FATHERS],
        "phone": "0300 330 0700",
        "website": "https://www.nct.org.uk",
    },
    {
        "name": "Twins Trust",
        "description": "Support for families expecting or raising twins, triplets or more.",
        "helps_with": [SupportTopic.PREGNANCY, SupportTopic.NEONATAL],
        "website": "https://twinstrust.org",
    },
    {
        "name": "National Breastfeeding Helpline",
        "description": "Infant feeding support from trained volunteers, every day of the year.",
        "helps_with": [SupportTopic.INFANT_FEEDING],
        "phone": "0300 100 0212",
        "website": "https://www.nationalbreastfeedinghelpline.org.uk",
    },
]

SIGNPOSTING_INTRO = (
    "<p>Organisations that help families during pregnancy, birth and the first years, "
    "and anyone supporting them. Choose what you need help with to narrow the list.</p>"
)


def seed_signposting(home: HomePage, partnerships: list[Partnership]) -> SignpostingPage:
    """The "Find support" page, the national organisations, and two demo local ones."""
    for details in NATIONAL_ORGANISATIONS:
        SupportOrganisation.objects.get_or_create(
            name=details["name"], defaults={"area": SupportArea.NATIONAL, **details}
        )
    if partnerships:
        first, last = partnerships[0], partnerships[-1]
        _local_organisation(
            "Demo: Northshire Baby Bank",
            first,
            description="Demo entry. Clothes, cots and essentials for families who need them.",
            helps_with=[SupportTopic.MONEY],
            phone="01632 960 123",
            email="babybank@demo.example.org",
        )
        _local_organisation(
            "Demo: Southvale Dads' Group",
            last,
            description="Demo entry. A monthly meet-up for dads and partners, with a peer supporter.",
            helps_with=[SupportTopic.FATHERS, SupportTopic.MENTAL_HEALTH],
            email="dads@demo.example.org",
            website="https://dads.demo.example.org",
        )
    return _child(
        home,
        SignpostingPage,
        slug="find-support",
        title="Find support",
        show_in_menus=True,
        intro=SIGNPOSTING_INTRO,
    )


def _local_organisation(name: str, partnership: Partnership, **details) -> SupportOrganisation:
    organisation, created = SupportOrganisation.objects.get_or_create(
        name=name, defaults={"area": SupportArea.LOCAL, "area_name": partnership.name, **details}
    )
    if created:
        organisation.partnerships.add(partnership)
    return organisation


# (days from today, start time, kind, title, place, what families should know). The first MNVP
# gets them all, so its page links to its Events list; the others the first two.
PUBLIC_EVENTS = [
    (
        6,
        datetime.time(10, 30),
        ActivityKind.OUTREACH,
        "Coffee and chat for new parents",
        "Northtown Family Hub, Market Street",
        "Drop in with your baby and tell us how your care went. Tea, coffee and a play mat; buggies welcome.",
    ),
    (
        13,
        datetime.time(18, 30),
        ActivityKind.FOCUS_GROUP,
        "Dads and partners evening",
        "The Old Library community room",
        "An informal evening for dads, co-parents and partners to talk about birth and the first weeks.",
    ),
    (
        20,
        datetime.time(13, 0),
        ActivityKind.COMMUNITY_EVENT,
        "Stay and play morning",
        "Riverside Park pavilion",
        "Meet other families and the MNVP team over a hot drink. Toys for older brothers and sisters.",
    ),
    (
        27,
        None,
        ActivityKind.SURVEY,
        "Neonatal unit families' survey stall",
        "Hospital main entrance",
        "Volunteers will be at the entrance all day with a short survey about the neonatal unit.",
    ),
    (
        34,
        datetime.time(11, 0),
        ActivityKind.OUTREACH,
        "Baby massage and talk",
        "St Mark's Children's Centre",
        "A free baby massage class, with time afterwards to tell us about feeding support.",
    ),
]


def seed_public_events(partnerships: list[Partnership], today: datetime.date | None = None) -> int:
    """A few upcoming public events per MNVP, for its public page. Added once; returns how many."""
    today = today or timezone.localdate()
    added = 0
    for number, partnership in enumerate(partnerships):
        for days, starts_at, kind, title, place, description in PUBLIC_EVENTS[: 5 if number == 0 else 2]:
            _, created = EngagementActivity.objects.get_or_create(
                partnership=partnership,
                title=title,
                defaults={
                    "kind": kind,
                    "held_on": today + datetime.timedelta(days=days),
                    "starts_at": starts_at,
                    "place": place,
                    "is_public": True,
                    "public_description": description,
                },
            )
            added += created
    return added
