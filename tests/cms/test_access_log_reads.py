"""Reading the access log is itself recorded in it, and only overseers of the audit trail see those reads."""

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cms.access_log import entries_for
from cms.models import AccessLogEntry
from members.enums import Role
from safeguarding.models import Concern
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reads_of_the_log():
    return AccessLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(AccessLogEntry))


def test_listing_filtering_and_inspecting_the_log_are_recorded(client, dsl):
    entry = AccessLogEntry.objects.create(
        user=dsl, action="view", content_type=ContentType.objects.get_for_model(Concern), object_id="7"
    )
    client.force_login(dsl)
    response = client.get(reverse("access_log:index"), {"action": "view"})
    assert response.status_code == HTTPStatus.OK
    listing = reads_of_the_log().get()
    assert (listing.user, listing.action, listing.detail) == (dsl, "view", "listing: action=view")
    assert client.get(reverse("access_log:inspect", args=[entry.pk])).status_code == HTTPStatus.OK
    inspected = reads_of_the_log().latest("pk")
    assert inspected.object_id == str(entry.pk)


def test_a_read_does_not_list_itself(client, dsl):
    client.force_login(dsl)
    response = client.get(reverse("access_log:index"))
    assert not [e for e in response.context["object_list"] if e.content_type.model == "accesslogentry"]


def test_reads_of_the_log_are_seen_by_overseers_of_the_audit_trail_only(client, dsl):
    client.force_login(dsl)
    client.get(reverse("access_log:index"))
    overseer = UserFactory(role=Role.HOST_STAFF)
    overseer.user_permissions.add(*_permissions("cms.view_accesslogentry"))
    overseer = type(overseer).objects.get(pk=overseer.pk)
    assert set(entries_for(overseer)) == set(reads_of_the_log())
    assert not entries_for(dsl).filter(pk__in=reads_of_the_log()).exists()


def _permissions(*names):
    from django.contrib.auth.models import Permission

    for name in names:
        app_label, codename = name.split(".")
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)
