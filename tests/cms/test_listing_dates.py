"""Admin listings show a date (a DateField) as a calendar date, never as a relative time.

Wagtail's DateColumn renders ``human_readable_date``: a start date of today reads
"17 hours ago" and any day still to come reads "just now". CalendarDateColumn
(members/admin_views.py) prints the date itself.
"""

import datetime
from http import HTTPStatus

import pytest
from django.db import models
from django.urls import reverse
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from members.admin_views import CalendarDateColumn
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_memberships_listing_shows_start_and_end_dates_as_calendar_dates(client, north, host_staff):
    MembershipFactory(
        partnership=north, start_date=datetime.date(2026, 11, 23), end_date=datetime.date(2027, 1, 5)
    )
    client.force_login(host_staff)

    response = client.get(reverse("memberships:index"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<time datetime="2026-11-23">23 Nov 2026</time>' in html
    assert '<time datetime="2027-01-05">5 Jan 2027</time>' in html
    assert "ago" not in html
    assert "just now" not in html


def _field(model, accessor):
    *relations, name = accessor.split(".")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    try:
        return model._meta.get_field(name)
    except Exception:  # a method or property: not a model field
        return None


def test_no_listing_shows_a_date_field_as_a_relative_time():
    reverse("wagtailadmin_home")  # loading the admin URLs registers every viewset
    offenders = []
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet) or not isinstance(viewset.list_display, (list, tuple)):
            continue
        for column in viewset.list_display:
            if not isinstance(column, DateColumn) or isinstance(column, CalendarDateColumn):
                continue
            field = _field(viewset.model, column.accessor)
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                offenders.append(f"{viewset.name}: {column.accessor}")
    assert offenders == []
