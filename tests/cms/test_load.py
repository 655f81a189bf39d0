"""Under concurrent load on a real server (gunicorn on localhost) nothing fails and no sign-up is lost.

`manage.py loadtest` at a small size: public sign-ups (each from its own address and
browser) and host staff's admin reads (a session that passed two-factor sign-in) at
once, for at most 15 seconds and a fixed number of requests. The command itself
fails on a server error, an unanswered request, an admin read that is not the page,
or a thanked sign-up missing from the database afterwards.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


# The server reads a copy of the database, so what the test seeds must be committed; the
# database is restored afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_signups_and_admin_reads_lose_nothing_and_fail_nothing(tmp_path):
    output = tmp_path / "load.json"
    call_command(
        "loadtest",
        in_current_db=True,
        seconds=15,
        signups=24,
        reads=8,
        concurrency=4,
        workers=2,
        threads=2,
        output=str(output),
        stdout=StringIO(),
    )
    report = json.loads(output.read_text())
    assert report["problems"] == []
    assert report["sign-up"]["errors"] == report["admin read"]["errors"] == 0
    assert report["accepted_signups"] == report["sign-up"]["requests"] > 0
    assert report["admin read"]["ok"] == report["admin read"]["requests"] > 0
    assert report["lost_signups"] == 0


@pytest.mark.django_db
def test_refuses_a_database_that_holds_data(north):
    with pytest.raises(CommandError, match="holds data"):
        call_command("loadtest", in_current_db=True, signups=1, reads=0, stdout=StringIO())
