"""The benefits letter: a PDF from the host's template, for members who claim benefits and are paid."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.enums import PPVCategory
from tests.members.test_partnership_views import assert_refused
from workplans.benefits_letter import benefits_letter, benefits_letter_pdf, template_errors
from workplans.enums import PaymentLength
from workplans.models import BenefitsAdviceRecord, BenefitsLetterSettings, InvolvementRate
from workplans.services import payments as payment_services

from .money_factories import member
from .test_annual_report import pdf_text

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def paid_member(partnership, host, *, claims_benefits=True, payments=1, first_name="Jo", last_name="Bloggs"):
    person = member(partnership, PPVCategory.C, first_name=first_name, last_name=last_name)
    payment_services.record_benefits_advice(
        person=person, told_on=TODAY, acting_user=host, claims_benefits=claims_benefits
    )
    for _ in range(payments):
        payment = payment_services.record_involvement_payment(
            person=person,
            partnership=partnership,
            activity="LMNS board",
            activity_on=TODAY,
            length=PaymentLength.FULL_DAY,
            acting_user=host,
        )
        payment_services.mark_payment_paid(payment=payment, acting_user=host, paid_on=TODAY, reference="P1")
    return person


def letter_url(person):
    return reverse("benefits_advice:letter", args=[BenefitsAdviceRecord.objects.get(person=person).pk])


def test_the_letter_is_a_pdf_naming_the_member_the_rates_and_their_tax_year_total(north, host_staff):
    InvolvementRate.objects.update_or_create(
        effective_from=TODAY - datetime.timedelta(days=1),
        defaults={"half_day": Decimal("80.00"), "full_day": Decimal("160.00")},
    )
    person = paid_member(north, host_staff, payments=2)

    letter = benefits_letter(person=person)
    content = benefits_letter_pdf(letter)

    assert letter.tax_year_total == Decimal("320.00")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for words in ("Jo Bloggs", "Northshire MNVP", "80.00", "160.00", "320.00"):
        assert words in text


def test_host_staff_download_the_letter_from_the_benefits_advice_record(client, north, host_staff):
    person = paid_member(north, host_staff)
    client.force_login(host_staff)
    inspect = client.get(reverse("benefits_advice:inspect", args=[person.benefits_advice.pk]))
    assert letter_url(person) in inspect.content.decode()

    response = client.get(letter_url(person))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Jo Bloggs" in pdf_text(response.content)


@pytest.mark.parametrize(
    ("claims_benefits", "payments", "words"),
    [(False, 1, "has not said they claim state benefits"), (True, 0, "has no involvement payments")],
)
def test_refused_with_a_message_without_a_benefits_claim_or_payments(
    client, north, host_staff, claims_benefits, payments, words
):
    person = paid_member(north, host_staff, claims_benefits=claims_benefits, payments=payments)
    with pytest.raises(ValidationError, match=words):
        benefits_letter(person=person)
    client.force_login(host_staff)
    response = client.get(letter_url(person), follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "benefits_advice:inspect", args=[person.benefits_advice.pk]
    )
    assert words in response.content.decode()


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("Dear agency, {name} earns {salary}.", "{salary}"),
        ("Dear agency, {name} is {name.__class__}.", "cannot fill"),
        ("Dear agency, {} is a member.", "cannot fill"),
        ("Dear agency, {name is a member.", "unclosed brace"),
        ("Dear agency, {name!x} is a member.", "could not be filled"),
    ],
)
def test_a_broken_template_gives_a_clear_message_not_a_server_error(
    client, north, host_staff, template, words
):
    person = paid_member(north, host_staff)
    settings = BenefitsLetterSettings.load()
    settings.letter = template
    settings.save()

    with pytest.raises(ValidationError, match=words.replace("{", r"\{").replace("}", r"\}")):
        benefits_letter(person=person)
    client.force_login(host_staff)
    response = client.get(letter_url(person), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "letter template" in response.content.decode()


def test_the_default_template_has_only_known_placeholders():
    assert template_errors(BenefitsLetterSettings().letter) == []
    assert template_errors("Braces shown as {{ and }} are fine, {name}.") == []


def test_the_letter_is_host_work_scoped_to_the_users_mnvps(
    client, north, south, host_staff, north_lead, south_lead
):
    person = paid_member(north, host_staff)
    for user in (north_lead, south_lead):
        client.force_login(user)
        assert_refused(client.get(letter_url(person)))
