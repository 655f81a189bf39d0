"""Demo feedback: a theme framework with keyword rules, a year of feedback per MNVP, and
theme actions with trust responses (some on the public page).

Run after the members demo (partnerships): ``seed_feedback()``. Idempotent: themes
are found by parent and name, actions by MNVP and "you said"; an MNVP's feedback is
a fixed, deterministic list (built from phrases with a seeded generator), of which
only the items it does not hold yet are added, so seeding twice changes nothing.
Items are tagged by the keyword rules, as an import would tag them.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from members.models import Partnership, User

from .enums import ActionStatus, FeedbackSource, Sentiment, ServiceArea
from .models import FeedbackItem, FeedbackTheme, YouSaidWeDid
from .services.feedback import suggest_themes

ITEMS_PER_MNVP = 120
DAYS_BACK = 365

# parent: (description, {child: keywords})
THEMES: dict[str, tuple[str, dict[str, list[str]]]] = {
    "Communication": (
        "How staff talk with and listen to families.",
        {
            "Being listened to": ["listened", "not listened", "heard", "dismissed", "ignored"],
            "Information and explanations": ["explained", "information", "leaflet", "didn't understand"],
            "Interpreters and language": ["interpreter", "language", "translate", "translation"],
        },
    ),
    "Safety and clinical care": (
        "Clinical care, its timeliness and how safe families felt.",
        {
            "Waiting and delays": ["waited", "waiting", "delay", "hours"],
            "Pain relief": ["pain relief", "epidural", "gas and air"],
            "Monitoring and checks": ["monitoring", "checks", "observations", "scan"],
        },
    ),
    "Staffing": (
        "Staff numbers and continuity of carer.",
        {
            "Midwife availability": ["short staffed", "busy", "no midwife", "understaffed"],
            "Continuity of carer": ["same midwife", "continuity", "different midwife"],
        },
    ),
    "Environment and facilities": (
        "Wards, rooms, food and the place itself.",
        {
            "Ward environment": ["ward", "noisy", "clean", "privacy"],
            "Partners staying": ["partner", "stay overnight", "visiting"],
            "Food and drink": ["food", "meals", "drink"],
        },
    ),
    "Infant feeding": (
        "Support with feeding a baby, however they are fed.",
        {
            "Breastfeeding support": ["breastfeeding", "latch", "feeding support"],
            "Formula feeding": ["formula", "bottle"],
        },
    ),
    "Mental health and bereavement": (
        "Emotional wellbeing, perinatal mental health and care after loss.",
        {
            "Perinatal mental health": ["anxious", "anxiety", "depression", "low mood", "mental health"],
            "Bereavement care": ["bereavement", "loss", "miscarriage", "stillbirth"],
        },
    ),
}

OPENINGS = [
    "On the {area} side,",
    "At my {area} appointments",
    "During {area} care",
    "Thinking about {area} care,",
]
PHRASES = [
    ("I felt listened to and the midwife explained every step", Sentiment.POSITIVE),
    ("I was dismissed when I said something was wrong", Sentiment.NEGATIVE),
    ("we waited hours for pain relief and the ward was short staffed", Sentiment.NEGATIVE),
    ("the epidural came quickly and the monitoring was reassuring", Sentiment.POSITIVE),
    ("my partner could not stay overnight, which was hard", Sentiment.NEGATIVE),
    ("an interpreter was booked but did not come", Sentiment.NEGATIVE),
    ("the breastfeeding support on the ward was brilliant", Sentiment.POSITIVE),
    ("nobody helped with the latch and I moved to formula feeling guilty", Sentiment.MIXED),
    ("I saw a different midwife every time and had to repeat my story", Sentiment.NEGATIVE),
    ("the ward was noisy and clean but there was no privacy", Sentiment.MIXED),
    ("I felt anxious and nobody asked about my mental health", Sentiment.NEGATIVE),
    ("the bereavement midwife was kind and gave us time after our loss", Sentiment.POSITIVE),
    ("the food was cold and there was nothing to drink at night", Sentiment.NEGATIVE),
    ("the scan was delayed and nobody explained why", Sentiment.NEGATIVE),
    ("having the same midwife throughout made all the difference", Sentiment.POSITIVE),
    ("staff were busy but still kind", Sentiment.MIXED),
    ("the leaflet had the information I needed in my language", Sentiment.POSITIVE),
]
ENDINGS = ["", " Thank you.", " Please pass this on.", " I hope it changes for others."]
SOURCES = [
    FeedbackSource.SURVEY,
    FeedbackSource.SURVEY,
    FeedbackSource.OUTREACH,
    FeedbackSource.WALK_THE_PATCH,
    FeedbackSource.PUBLIC_FORM,
    FeedbackSource.FIFTEEN_STEPS,
    FeedbackSource.SOCIAL_MEDIA,
    FeedbackSource.NEONATAL_PARENTS,
]
AREAS = [ServiceArea.ANTENATAL, ServiceArea.BIRTH, ServiceArea.POSTNATAL, ServiceArea.NEONATAL]

# (theme "Parent: child", you said, we did, trust response, owner, status, public, days closed ago)
ACTIONS = [
    (
        "Safety and clinical care: Waiting and delays",
        "Families waited hours for pain relief on the labour ward.",
        "The trust added an anaesthetist to the evening rota and audits waiting times monthly.",
        "Agreed at the maternity governance meeting; audit results shared with the MNVP quarterly.",
        "Trust: head of midwifery",
        ActionStatus.DONE,
        True,
        40,
    ),
    (
        "Environment and facilities: Partners staying",
        "Partners could not stay overnight on the postnatal ward.",
        "Reclining chairs were bought and partners may now stay overnight.",
        "Funded from the charitable fund; visiting policy rewritten with the MNVP.",
        "Trust: ward manager",
        ActionStatus.DONE,
        True,
        90,
    ),
    (
        "Communication: Interpreters and language",
        "Interpreters were booked but often did not come.",
        "",
        "The trust is moving to on-demand video interpreting; pilot starts next quarter.",
        "Trust: patient experience lead",
        ActionStatus.IN_PROGRESS,
        True,
        None,
    ),
    (
        "Infant feeding: Breastfeeding support",
        "Families felt alone with feeding on the ward at night.",
        "",
        "Infant feeding team reviewing night cover.",
        "Trust: infant feeding lead",
        ActionStatus.OPEN,
        False,
        None,
    ),
]


def seed_themes() -> list[FeedbackTheme]:
    """The theme framework: ~6 parents with ~15 children carrying keyword rules."""
    themes = []
    for parent_name, (description, children) in THEMES.items():
        parent, _ = FeedbackTheme.objects.get_or_create(
            parent=None, name=parent_name, defaults={"description": description}
        )
        themes.append(parent)
        for name, keywords in children.items():
            child, _ = FeedbackTheme.objects.get_or_create(
                parent=parent, name=name, defaults={"keywords": "\n".join(keywords)}
            )
            themes.append(child)
    return themes


def demo_feedback(partnership: Partnership, today: datetime.date) -> list[dict]:
    """The MNVP's demo items: the same list on every run (seeded by the MNVP's slug)."""
    chooser = random.Random(f"feedback:{partnership.slug}")
    items = []
    for _ in range(ITEMS_PER_MNVP):
        area = chooser.choice(AREAS)
        phrase, sentiment = chooser.choice(PHRASES)
        opening = chooser.choice(OPENINGS).format(area=area.label.lower())
        items.append(
            {
                "received_on": today - datetime.timedelta(days=chooser.randrange(DAYS_BACK)),
                "source": chooser.choice(SOURCES),
                "service_area": area,
                "sentiment": sentiment,
                "text": f"{opening} {phrase}.{chooser.choice(ENDINGS)}",
            }
        )
    return items


@transaction.atomic
def seed_feedback(today: datetime.date | None = None) -> int:
    """Themes, a year of feedback per demo MNVP (tagged by keyword), and theme actions.

    Returns how many feedback items it added (0 on a second run).
    """
    today = today or timezone.localdate()
    themes = seed_themes()
    rules = [theme for theme in themes if theme.keywords]
    by_label = {str(theme): theme for theme in themes}
    author = User.objects.filter(username="host.admin").first()
    through = FeedbackItem.themes.through
    added = 0
    for partnership in Partnership.objects.order_by("name"):
        held = FeedbackItem.objects.filter(partnership=partnership).count()
        wanted = demo_feedback(partnership, today)[held:]
        items = FeedbackItem.objects.bulk_create(
            [FeedbackItem(partnership=partnership, created_by=author, **values) for values in wanted]
        )
        if items and items[0].pk is None:  # a database that does not return ids from bulk inserts
            items = list(FeedbackItem.objects.filter(partnership=partnership).order_by("pk")[held:])
        through.objects.bulk_create(
            [
                through(feedbackitem_id=item.pk, feedbacktheme_id=theme.pk)
                for item in items
                for theme in suggest_themes(item.text, rules)
            ],
            ignore_conflicts=True,
        )
        added += len(items)
        for label, you_said, we_did, response, owner, status, public, closed_days in ACTIONS:
            YouSaidWeDid.objects.get_or_create(
                partnership=partnership,
                you_said=you_said,
                defaults={
                    "feedback_theme": by_label.get(label),
                    "we_did": we_did,
                    "trust_response": response,
                    "owner": owner,
                    "status": status,
                    "public": public,
                    "closed_on": today - datetime.timedelta(days=closed_days) if closed_days else None,
                    "created_by": author,
                },
            )
    return added
