"""Inspect pages answer a yes/no field in words (cms/field_display.py), on every viewset."""

import re

import pytest
from django.urls import reverse

from cms.field_display import YesNoDisplay
from tests.factories import ApplicationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "shown"), [(True, "Yes"), (False, "No"), (None, "—")])
def test_a_yes_no_field_reads_yes_no_or_a_dash_when_unanswered(value, shown):
    assert YesNoDisplay(value).render_html() == shown


@pytest.mark.parametrize(("consent", "shown"), [(True, "Yes"), (False, "No")])
def test_a_person_page_shows_contact_consent_as_yes_or_no(client, north, host_staff, consent, shown):
    person = PersonFactory(contact_consent=consent)
    ApplicationFactory(person=person, partnership=north)
    client.force_login(host_staff)

    content = client.get(reverse("people:inspect", args=[person.pk])).content.decode()

    assert re.search(rf"<dt>Agrees to hear about opportunities</dt>\s*<dd>\s*{shown}\s*</dd>", content), (
        content
    )
    assert not re.search(r"<dd>\s*(True|False)\s*</dd>", content)
