"""Celery wiring: tasks run eagerly in tests, and for real on a worker where Redis answers."""

import os
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from cms.celery import app
from cms.tasks import clear_expired_sessions

REDIS_URL = os.environ.get("CELERY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def make_sessions():
    live = SessionStore()
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return live, expired


@pytest.mark.django_db
def test_clearing_sessions_removes_only_expired_ones_and_is_idempotent():
    live, _expired = make_sessions()
    assert clear_expired_sessions.delay().get() == 1
    assert clear_expired_sessions.delay().get() == 0
    assert Session.objects.filter(session_key=live.session_key).exists()


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False
    return True


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_through_redis():
    """Eager mode skips serialisation and the broker; this proves both work."""
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    from celery.contrib.testing.worker import start_worker

    live, expired = make_sessions()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, broker_connection_retry_on_startup=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # An explicit connection: the app's producer pool may already point at the test broker.
            with app.connection_for_write(REDIS_URL) as connection:
                clear_expired_sessions.apply_async(connection=connection)
            deadline = time.monotonic() + 20
            while Session.objects.filter(session_key=expired.session_key).exists():
                assert time.monotonic() < deadline, "the worker did not run the task within 20 s"
                time.sleep(0.1)
    finally:
        app.conf.update(saved)
    assert Session.objects.filter(session_key=live.session_key).exists()
