"""Load against a real server: gunicorn on localhost, driven by a pool of threads.

Used by ``manage.py bench`` (the sign-up under concurrent load, next to its
baselines) and ``manage.py loadtest`` (sign-ups and admin reads for a fixed period,
no errors and no lost sign-ups). This module is also the server's URLconf
(``cms.settings.loadserver``): the site, plus the minimal sign-up view that is the
benchmark's ceiling.

Every run is bounded twice: by a number of requests and by a deadline.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

BASE_DIR = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# The ceiling of the sign-up: a plain Django view with the same fields -------------------


class MinimalSignupForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField()
    phone = forms.CharField(required=False)
    postcode = forms.CharField(required=False)
    partnerships = forms.ModelMultipleChoiceField(queryset=None)

    def __init__(self, *args, **kwargs):
        from members.models import Partnership

        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = Partnership.objects.all()


def minimal_signup(request):
    """The ceiling: a plain Django view with the same fields, creating the person and applications."""
    from django.middleware.csrf import get_token

    from members.models import Application, Person

    form = MinimalSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.create(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            postcode=data["postcode"],
        )
        Application.objects.bulk_create(
            [Application(person=person, partnership=p) for p in data["partnerships"]]
        )
        return HttpResponse(f"<p>Thank you, {person.first_name}</p>")
    token = get_token(request)
    return HttpResponse(
        f"<form method='post'><input type='hidden' name='csrfmiddlewaretoken' value='{token}'>"
        f"{form.as_div()}<button>Send</button></form>"
    )


def _urlpatterns():
    from cms import urls as site_urls

    return [
        path("bench-minimal-signup/", minimal_signup, name="bench_minimal_signup"),
        *site_urls.urlpatterns,
    ]


urlpatterns = _urlpatterns()


# The server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the current connection uses (the run's throwaway one)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = urllib.parse.quote(db.get("USER") or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


@contextlib.contextmanager
def gunicorn(db_url: str, *, workers: int = 2, threads: int = 4, timeout: float = 60):
    """gunicorn serving the site on a free localhost port against ``db_url``; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "cms.settings.loadserver",
        "LOADSERVER_PARENT_SETTINGS": settings.SETTINGS_MODULE,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "cms.wsgi:application"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)),
                *("--timeout", "120", "--graceful-timeout", "5"),
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn stopped: {log.read().decode(errors='replace')[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/get-involved/", timeout=30):
                        break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not answer in time") from None
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# The load ------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    status: int  # 0: no answer (connection error, timeout)
    seconds: float
    ok: bool
    email: str = ""


@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)
    wall_seconds: float = 0.0

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]

    def errors(self, kind: str | None = None) -> list[Outcome]:
        """Server errors (5xx) and requests that got no answer at all."""
        chosen = self.outcomes if kind is None else self.of(kind)
        return [o for o in chosen if o.status == 0 or o.status >= 500]

    def summary(self, kind: str) -> dict:
        chosen = self.of(kind)
        times = sorted(o.seconds for o in chosen)
        return {
            "requests": len(chosen),
            "ok": sum(o.ok for o in chosen),
            "errors": len(self.errors(kind)),
            "median": statistics.median(times) if times else 0.0,
            "p95": times[max(0, math.ceil(0.95 * len(times)) - 1)] if times else 0.0,
            # Throughput as seconds per request: the wall time over the answered requests.
            "seconds_per_request": self.wall_seconds / len(chosen) if chosen else 0.0,
        }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to record (a sign-in page, say), not to follow


class Visitor:
    """One browser: its own cookies and (through the trusted proxy header) its own address."""

    def __init__(self, base: str, address: str, cookies: dict | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )
        self.address = address
        self.cookie_header = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())

    def request(self, url: str, data: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + url, data=body)
        request.add_header("X-Forwarded-For", self.address)
        if self.cookie_header:
            request.add_header("Cookie", self.cookie_header)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def timed(kind: str, action: Callable[[], tuple[int, bool, str]]) -> Outcome:
    started = time.perf_counter()
    try:
        status, ok, email = action()
    except OSError:
        status, ok, email = 0, False, ""
    return Outcome(kind, status, time.perf_counter() - started, ok, email)


def signup_action(base: str, url: str, n: int, form: Callable[[int], dict], marker: bytes):
    """GET the form (a CSRF token), then POST it as a new person; ``ok`` when thanked."""

    def get():
        visitor = Visitor(base, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        status, _content = visitor.request(url)
        return status, status == 200, ""

    def post():
        visitor = Visitor(base, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        status, content = visitor.request(url)
        if status != 200:
            return status, False, ""
        found = CSRF_INPUT.search(content)
        data = form(n)
        if found:
            data["csrfmiddlewaretoken"] = found.group(1).decode()
        status, content = visitor.request(url, data)
        return status, status == 200 and marker in content, data.get("email", "")

    return get, post


def run_load(tasks: list[tuple[str, Callable]], *, concurrency: int, seconds: float) -> LoadResult:
    """Run ``tasks`` (kind, action) on ``concurrency`` threads until done or ``seconds`` have passed.

    Tasks not started by the deadline are skipped, so the run is bounded in count and time.
    """
    deadline = time.monotonic() + seconds
    result = LoadResult()
    lock = threading.Lock()

    def run(task):
        kind, action = task
        if time.monotonic() > deadline:
            return
        outcome = timed(kind, action)
        with lock:
            result.outcomes.append(outcome)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(run, tasks))
    result.wall_seconds = time.perf_counter() - started
    return result
