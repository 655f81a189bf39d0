"""Fixtures shared by the members tests."""

import pytest

from members.models import ImportJob


@pytest.fixture
def imports_run_on_commit(django_capture_on_commit_callbacks):
    """Uploads and confirmations queue their task on commit; run them as a worker would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        if isinstance(result, ImportJob):
            result.refresh_from_db()  # the task ran (eagerly) when the request's work committed
        return result

    return run
