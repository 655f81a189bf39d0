"""Failed background tasks in the admin: host staff read them and mark them resolved; nobody else."""

from http import HTTPStatus

import pytest
from django.urls import NoReverseMatch, reverse

from cms.dashboard import panels_for
from cms.models import FailedTask
from tests.members.test_partnership_views import assert_denied

pytestmark = pytest.mark.django_db


@pytest.fixture
def failure():
    return FailedTask.objects.create(
        task_name="members.tasks.send_signup_confirmation",
        task_id="abc",
        arguments="42, []",
        exception_type="smtplib.SMTPServerDisconnected",
        exception_message="gone",
        retries=5,
    )


def test_host_staff_list_and_inspect_failed_tasks(client, host_staff, failure):
    client.force_login(host_staff)
    response = client.get(reverse("failed_tasks:index"))
    assert response.status_code == HTTPStatus.OK
    assert b"send_signup_confirmation" in response.content
    response = client.get(reverse("failed_tasks:inspect", args=[failure.pk]))
    assert response.status_code == HTTPStatus.OK
    assert b"SMTPServerDisconnected" in response.content


def test_host_staff_mark_a_failure_resolved_and_the_rest_stays_as_it_was(client, host_staff, failure):
    client.force_login(host_staff)
    response = client.post(
        reverse("failed_tasks:edit", args=[failure.pk]),
        {"resolved": "on", "task_name": "changed", "exception_message": "changed"},
    )
    assert response.status_code == HTTPStatus.FOUND
    failure.refresh_from_db()
    assert failure.resolved
    assert failure.task_name == "members.tasks.send_signup_confirmation"
    assert failure.exception_message == "gone"


def test_nobody_adds_or_deletes_a_failure_record(failure):
    for name, args in (("failed_tasks:add", []), ("failed_tasks:delete", [failure.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=args)


@pytest.mark.parametrize("who", ["north_lead", "dsl", "no_role_user", "north_commissioner"])
def test_other_roles_cannot_see_failed_tasks(client, request, who, failure):
    client.force_login(request.getfixturevalue(who))
    assert_denied(client.get(reverse("failed_tasks:index")))
    assert_denied(client.get(reverse("failed_tasks:inspect", args=[failure.pk])))
    assert_denied(client.post(reverse("failed_tasks:edit", args=[failure.pk]), {"resolved": "on"}))
    failure.refresh_from_db()
    assert not failure.resolved


def test_anonymous_is_sent_to_log_in(client, failure):
    assert_denied(client.get(reverse("failed_tasks:index")))


def test_the_host_dashboard_shows_no_failure_panel_when_all_is_well(host_staff):
    FailedTask.objects.create(task_name="x", exception_type="ValueError", resolved=True)
    assert not any(p.name == "failed-tasks" for p in panels_for(host_staff))


def test_the_host_dashboard_counts_unresolved_failures(host_staff, north_lead, failure):
    FailedTask.objects.create(task_name="x", exception_type="ValueError", resolved=True)
    panel = next(p for p in panels_for(host_staff) if p.name == "failed-tasks")
    assert [fact.count for fact in panel.facts] == [1]
    assert "resolved=false" in panel.facts[0].url
    assert not any(p.name == "failed-tasks" for p in panels_for(north_lead))
