"""A failed background task's history page opens (it crashed: its results view had no URL)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from cms.models import FailedTask

pytestmark = pytest.mark.django_db


def test_host_staff_open_the_history_of_a_failed_task(client, host_staff):
    failure = FailedTask.objects.create(
        task_name="members.tasks.send_reminder", exception_type="SMTPException"
    )
    client.force_login(host_staff)
    for name in ("failed_tasks:history", "failed_tasks:history_results"):
        assert client.get(reverse(name, args=[failure.pk])).status_code == HTTPStatus.OK, name
