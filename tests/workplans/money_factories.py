"""Factories and helpers for the money tests: workplans with budget lines, members by PPV category."""

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from members.enums import PPVCategory
from tests.factories import MembershipFactory, PersonFactory
from workplans.enums import BudgetCategory
from workplans.models import BudgetLine, Workplan

LONG_AGO = datetime.date(2015, 1, 1)
PDF = b"%PDF-1.4\n% a receipt\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


class MoneyWorkplanFactory(DjangoModelFactory):
    class Meta:
        model = Workplan
        django_get_or_create = ("partnership", "year")

    year = 2026


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    workplan = factory.SubFactory(MoneyWorkplanFactory)
    category = BudgetCategory.MEMBER_EXPENSES
    amount_agreed = Decimal("1000.00")


def member(partnership, category=PPVCategory.B, **person):
    """A person with a current membership (since 2015) of ``partnership`` in ``category``."""
    membership = MembershipFactory(
        person=PersonFactory(**person), partnership=partnership, ppv_category=category, start_date=LONG_AGO
    )
    return membership.person


def receipt(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
