"""The annual report, its PDF and the maternity incentive scheme evidence pack."""

import base64
import datetime
import re
import zlib
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from members.enums import MembershipRole, PPVCategory
from tests.factories import MembershipFactory, PersonFactory
from workplans.annual_report import annual_report, evidence_pack
from workplans.annual_report_pdf import annual_report_pdf
from workplans.enums import (
    ActionStatus,
    ActivityStatus,
    BudgetCategory,
    ClaimStatus,
    MilestoneStatus,
    PaymentLength,
    PaymentStatus,
    SignOffStage,
    Theme,
)
from workplans.models import (
    BudgetLine,
    ExpenseClaim,
    InvolvementPayment,
    InvolvementRate,
    Milestone,
    Objective,
    Workplan,
    WorkplanSignOff,
)
from workplans.models.plans import financial_year_of

from .activity_factories import (
    ActivityReachFactory,
    ActivityVolunteerFactory,
    BirthingPopulationFactory,
    EngagementActivityFactory,
    YouSaidWeDidFactory,
)

pytestmark = pytest.mark.django_db
YEAR = financial_year_of(timezone.localdate()) - 1  # a whole year, already over
START = datetime.date(YEAR, 4, 1)


def day(months: int) -> datetime.date:
    return START + datetime.timedelta(days=30 * months + 5)


def aware(d: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(10)))


@pytest.fixture
def workplan(north, host_staff):
    plan = Workplan.objects.create(
        partnership=north, year=YEAR, strategy="Listen widely.", funding_agreed=Decimal("30000")
    )
    objective = Objective.objects.create(
        workplan=plan, theme=Theme.LISTENING, title="Hear seldom-heard families"
    )
    Milestone.objects.create(
        objective=objective, title="Four outreach sessions", due_on=day(6), status=MilestoneStatus.DONE
    )
    Milestone.objects.create(
        objective=objective, title="Fifteen Steps visit", due_on=day(9), status=MilestoneStatus.AT_RISK
    )
    return plan


@pytest.fixture
def lead_person(north):
    person = PersonFactory(first_name="Ada", last_name="Lovelace")
    MembershipFactory(
        person=person,
        partnership=north,
        role=MembershipRole.LEAD,
        ppv_category=PPVCategory.C,
        start_date=START,
    )
    return person


def pay(person, partnership, user, on, status=PaymentStatus.PAID):
    rate = InvolvementRate.objects.order_by("-effective_from").first() or InvolvementRate.objects.create(
        effective_from=datetime.date(2017, 7, 1), half_day=Decimal("75.00"), full_day=Decimal("150.00")
    )
    return InvolvementPayment.objects.create(
        partnership=partnership,
        person=person,
        activity="LMNS board",
        activity_on=on,
        length=PaymentLength.FULL_DAY,
        rate=rate,
        amount=rate.full_day,
        status=status,
        approved_by=user,
        paid_on=on + datetime.timedelta(days=10) if status == PaymentStatus.PAID else None,
    )


@pytest.fixture
def year_of_work(north, south, workplan, host_staff):
    done = EngagementActivityFactory(
        partnership=north,
        title="Walk the Patch, labour ward",
        held_on=day(2),
        status=ActivityStatus.DONE,
        people_heard=40,
        themes=[Theme.NEONATAL, Theme.EQUITY],
    )
    EngagementActivityFactory(
        partnership=north, title="Cancelled picnic", held_on=day(3), status=ActivityStatus.CANCELLED
    )
    EngagementActivityFactory(
        partnership=north,
        title="Last year",
        held_on=START - datetime.timedelta(days=3),
        status=ActivityStatus.DONE,
        people_heard=99,
    )
    EngagementActivityFactory(
        partnership=south,
        title="Southvale session",
        held_on=day(2),
        status=ActivityStatus.DONE,
        people_heard=77,
    )
    for hours in ("3.00", "2.50"):
        ActivityVolunteerFactory(
            activity=done,
            person=MembershipFactory(partnership=north, start_date=START).person,
            hours=Decimal(hours),
        )
    ActivityReachFactory(activity=done, category="white_british", count=30)
    ActivityReachFactory(activity=done, category="asian_bangladeshi", count=7)
    ActivityReachFactory(activity=done, category="black_caribbean", count=3)
    BirthingPopulationFactory(partnership=north, category="asian_bangladeshi", percentage=Decimal("9.40"))
    YouSaidWeDidFactory(
        partnership=north,
        activity=done,
        theme=Theme.NEONATAL,
        you_said="Parents could not stay overnight.",
        we_did="Fold-out beds bought.",
        status=ActionStatus.DONE,
    )
    YouSaidWeDidFactory(
        partnership=north, theme=Theme.EQUITY, you_said="Leaflets only in English.", due_on=day(8)
    )
    YouSaidWeDidFactory(partnership=south, you_said="Southvale's action.", due_on=day(8))
    line = BudgetLine.objects.create(
        workplan=workplan, category=BudgetCategory.OUTREACH, amount_agreed=Decimal("1000.00")
    )
    ExpenseClaim.objects.create(
        partnership=north,
        claimant=MembershipFactory(partnership=north).person,
        budget_line=line,
        purpose="Leaflets",
        status=ClaimStatus.PAID,
        created_by=host_staff,
        paid_on=day(3),
        total=Decimal("120.40"),
    )
    return done


# The selector ----------------------------------------------------------------------------


def test_the_report_gathers_the_years_work_of_that_mnvp_only(host_staff, north, year_of_work, workplan):
    report = annual_report(user=host_staff, partnership=north, year=YEAR)
    assert [m.title for m in report.milestones_done] == ["Four outreach sessions"]
    assert report.milestones_total == 2
    assert [line.activity.title for line in report.activities] == ["Walk the Patch, labour ward"]
    assert report.people_heard == 40
    assert (report.volunteers, report.volunteer_hours) == (2, Decimal("5.50"))
    assert {a.you_said for a in report.actions} == {
        "Parents could not stay overnight.",
        "Leaflets only in English.",
    }
    assert {(t.label, t.activities, t.actions) for t in report.themes} == {
        ("Neonatal families", 1, 1),
        ("Seldom-heard and equity", 1, 1),
    }
    (ethnicity,) = report.reach.questions
    cells = {c.category: c for c in ethnicity.cells}
    assert cells["black_caribbean"].suppressed
    assert cells["asian_bangladeshi"].suppressed
    assert cells["asian_bangladeshi"].population_percentage == Decimal("9.40")
    assert (report.budget.agreed, report.budget.spent, report.budget.remaining) == (
        Decimal("1000.00"),
        Decimal("120.40"),
        Decimal("879.60"),
    )


def test_a_year_with_nothing_recorded_says_so(host_staff, north):
    report = annual_report(user=host_staff, partnership=north, year=YEAR)
    assert report.workplan is None
    assert report.budget is None
    assert report.activities == []
    assert report.reach.is_empty
    assert report.evidence.remuneration_statement == "No payment to the MNVP lead is recorded for this year."


def test_the_report_is_refused_outside_the_users_mnvps(north_lead, south, no_role_user, north):
    with pytest.raises(PermissionDenied):
        annual_report(user=north_lead, partnership=south, year=YEAR)
    with pytest.raises(PermissionDenied):
        annual_report(user=no_role_user, partnership=north, year=YEAR)


# The evidence pack ---------------------------------------------------------------------------


def test_evidence_pack_names_who_agreed_and_ratified_and_when(
    host_staff, north_lead, north_commissioner, north, workplan
):
    north_lead.first_name, north_lead.last_name = "Lena", "Lead"
    north_lead.save()
    WorkplanSignOff.objects.create(
        workplan=workplan, stage=SignOffStage.AGREED, by=north_lead, at=aware(START)
    )
    WorkplanSignOff.objects.create(
        workplan=workplan,
        stage=SignOffStage.SIGNED_OFF,
        by=north_commissioner,
        on_behalf_of="Northshire ICB",
        at=aware(START + datetime.timedelta(days=20)),
    )
    evidence = evidence_pack(user=host_staff, partnership=north, year=YEAR)
    assert (evidence.agreed.by, evidence.agreed.at.date()) == ("Lena Lead", START)
    assert evidence.ratified.on_behalf_of == "Northshire ICB"
    assert evidence.ratified.at.date() == START + datetime.timedelta(days=20)


def test_evidence_pack_confirms_the_lead_was_paid(host_staff, north, south, lead_person, workplan):
    pay(lead_person, north, host_staff, day(1))
    pay(lead_person, north, host_staff, day(4))
    pay(lead_person, north, host_staff, day(5), status=PaymentStatus.APPROVED)  # not paid yet
    pay(lead_person, north, host_staff, START - datetime.timedelta(days=10))  # the year before
    volunteer = MembershipFactory(partnership=north, ppv_category=PPVCategory.C, start_date=START).person
    pay(volunteer, north, host_staff, day(2))  # paid, but not as the lead
    evidence = evidence_pack(user=host_staff, partnership=north, year=YEAR)
    assert evidence.lead_remunerated
    assert evidence.leads == ["Ada Lovelace"]
    assert len(evidence.lead_payments) == 2
    assert evidence.lead_paid_total == Decimal("300.00")
    assert evidence.remuneration_statement.startswith("The MNVP lead was remunerated: 2 involvement payments")


def test_evidence_pack_says_honestly_when_no_lead_payment_is_recorded(
    host_staff, north, lead_person, workplan
):
    pay(lead_person, north, host_staff, day(1), status=PaymentStatus.APPROVED)
    evidence = evidence_pack(user=host_staff, partnership=north, year=YEAR)
    assert not evidence.lead_remunerated
    assert evidence.remuneration_statement == "No payment to the MNVP lead is recorded for this year."
    assert evidence.agreed is None
    assert evidence.ratified is None


# The PDF -------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    """The PDF's text: its page streams decoded (ASCII85 then Flate, as ReportLab writes them)."""
    chunks = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            chunks.append(zlib.decompress(base64.a85decode(stream.strip(), adobe=True)))
        except (ValueError, zlib.error):
            continue  # a font or image stream
    return b"\n".join(chunks).decode("latin-1")


def test_the_pdf_is_a_pdf_naming_the_mnvp_with_small_counts_hidden(host_staff, north, year_of_work):
    content = annual_report_pdf(annual_report(user=host_staff, partnership=north, year=YEAR))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Northshire MNVP" in text
    assert "Walk the Patch" in text
    assert "fewer than 5" in text
    assert "No payment to the MNVP lead is recorded for this year." in text


# The views -----------------------------------------------------------------------------------


def report_url(name, partnership, year=YEAR):
    return reverse(f"annual_reports:{name}", args=[partnership.pk, year])


@pytest.mark.parametrize("user", ["host_staff", "north_lead", "north_commissioner"])
def test_host_lead_and_commissioner_read_the_report_and_download_the_pdfs(
    client, request, north, year_of_work, user
):
    client.force_login(request.getfixturevalue(user))
    page = client.get(report_url("report", north))
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert "Walk the Patch, labour ward" in html
    assert "Fold-out beds bought." in html
    assert "Southvale" not in html
    for name in ("pdf", "evidence_pdf"):
        response = client.get(report_url(name, north))
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["report", "pdf", "evidence_pdf"])
def test_another_mnvps_report_answers_404(client, north_lead, north_commissioner, south, name):
    for user in (north_lead, north_commissioner):
        client.force_login(user)
        assert client.get(report_url(name, south)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", ["report", "pdf", "evidence_pdf"])
def test_no_role_user_is_refused_the_report(client, no_role_user, north, name):
    client.force_login(no_role_user)
    response = client.get(report_url(name, north))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("annual_reports:index")).status_code == HTTPStatus.FOUND


def test_index_lists_the_users_mnvps_only(client, north_lead, north, south):
    client.force_login(north_lead)
    html = client.get(reverse("annual_reports:index")).content.decode()
    assert "Northshire MNVP" in html
    assert "Southvale MNVP" not in html


def test_a_year_out_of_range_answers_404(client, host_staff, north):
    client.force_login(host_staff)
    assert client.get(report_url("report", north, year=1999)).status_code == HTTPStatus.NOT_FOUND
