"""Background tasks that fail are retried, then recorded as failed where host staff see them."""

import smtplib
from unittest import mock

import pytest
from django.core import mail

from cms.celery import app
from cms.models import FailedTask
from cms.tasks import ReliableTask, summarise_arguments

calls = {"count": 0}


@app.task(name="tests.cms.always_away")
def always_away(person_id, note=""):
    calls["count"] += 1
    raise ConnectionRefusedError("mail server refused jane.doe@example.org")


@app.task(name="tests.cms.bug")
def bug(claim_ids):
    calls["count"] += 1
    raise ValueError("a bug, not the network")


@app.task(name="tests.cms.back_after_two")
def back_after_two():
    calls["count"] += 1
    if calls["count"] <= 2:
        raise OSError("away for a moment")
    return "sent"


@pytest.fixture(autouse=True)
def reset_calls():
    calls["count"] = 0


def test_every_project_task_builds_on_the_reliable_task():
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert len(ours) > 15
    for task in ours:
        assert isinstance(task, ReliableTask), task.name


@pytest.mark.django_db
def test_a_transient_error_is_retried_a_bounded_number_of_times_then_recorded():
    with pytest.raises(ConnectionRefusedError):
        always_away.delay(42, note="Jane's sister")
    assert calls["count"] == ReliableTask.max_retries + 1
    failed = FailedTask.objects.get()
    assert failed.task_name == "tests.cms.always_away"
    assert failed.retries == ReliableTask.max_retries
    assert failed.exception_type == "builtins.ConnectionRefusedError"
    assert not failed.resolved
    assert failed.task_id


@pytest.mark.django_db
def test_the_failure_record_holds_no_personal_data():
    with pytest.raises(ConnectionRefusedError):
        always_away.delay(42, note="Jane's sister")
    failed = FailedTask.objects.get()
    assert "jane" not in (failed.arguments + failed.exception_message).lower()
    assert "sister" not in failed.arguments
    assert failed.arguments == "42, note=<text, 13 characters>"
    assert "[email address]" in failed.exception_message


@pytest.mark.django_db
def test_an_error_that_is_not_transient_fails_at_once():
    with pytest.raises(ValueError, match="a bug"):
        bug.delay([3, 4])
    assert calls["count"] == 1
    failed = FailedTask.objects.get()
    assert failed.retries == 0
    assert failed.arguments == "[3, 4]"


@pytest.mark.django_db
def test_a_task_that_recovers_within_its_retries_leaves_no_failure():
    assert back_after_two.delay().get() == "sent"
    assert calls["count"] == 3
    assert not FailedTask.objects.exists()


@pytest.mark.django_db
def test_a_sign_up_confirmation_that_cannot_be_sent_ends_in_a_failed_task():
    from members.tasks import send_signup_confirmation
    from tests.factories import PersonFactory

    person = PersonFactory()
    refused = smtplib.SMTPServerDisconnected("gone")
    with mock.patch("members.tasks.send_mail", side_effect=refused), pytest.raises(type(refused)):
        send_signup_confirmation.delay(person.pk, [])
    failed = FailedTask.objects.get()
    assert failed.task_name == "members.tasks.send_signup_confirmation"
    assert failed.retries == ReliableTask.max_retries
    assert person.email not in failed.arguments + failed.exception_message
    assert not mail.outbox


def test_arguments_are_summarised_without_text():
    summary = summarise_arguments(("someone@example.org", list(range(50)), {"email": "x"}, None), {"n": 3})
    assert summary == "<text, 19 characters>, <50 items>, <mapping of 1: email>, None, n=3"
