"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

Nothing is downloaded at run time: `playwright install` is never run, the browser is the
system one. Without Chromium or the playwright package these tests skip with the reason,
unless E2E_REQUIRED=1 (as in .ci/run), which turns the skip into a failure.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from home.demo import seed_public_site
from members.demo import seed_logins, seed_partnerships

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"
PASSWORD = "e2e-password-2026"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TIMEOUT_MS = 10_000
FAILURES = SCREENSHOTS / "failures"
OPEN_PAGES = pytest.StashKey[list]()


def _unavailable(reason: str):
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(f"E2E_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package", autouse=True)
def _migrated_database(django_db_setup, django_db_blocker):
    """The e2e tests start from the database as migrations left it, and leave it so.

    They are transactional (the live server is another thread): each ends with a flush, and
    serialized rollback reloads the snapshot pytest-django took after migrating. A
    transactional test before this package may have left rows that post_migrate recreated
    with new ids (content types, permissions, groups) that the snapshot's rows would clash
    with, so restore the snapshot here first; and again at the end, for any test after us.
    """
    from django.db import connections

    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", "") for alias in connections}
    snapshots = {alias: snapshot for alias, snapshot in snapshots.items() if snapshot}

    def restore():
        from django.core.management import call_command

        for alias, snapshot in snapshots.items():
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                database=alias,
                reset_sequences=False,  # as TransactionTestCase does
                inhibit_post_migrate=True,
            )
            ContentType.objects.clear_cache()
            # Content types first: building some objects (Wagtail's tasks) looks up their type,
            # which would otherwise be created with a new id before the snapshot's row.
            rows = sorted(json.loads(snapshot), key=lambda row: row["model"] != "contenttypes.contenttype")
            connections[alias].creation.deserialize_db_from_string(json.dumps(rows))

    with django_db_blocker.unblock():
        restore()
    yield snapshots
    with django_db_blocker.unblock():
        restore()


@pytest.fixture(scope="package")
def browser(_migrated_database):
    """Headless system Chromium, shared by the e2e tests and closed after the last of them."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements.txt)")
    if not shutil.which(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium; `make test` does it as root)")
    from django.db import connections

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # The sync API keeps an asyncio loop running in this thread while the browser is open.
        # Django's ORM refuses to run beside one unless told; the loop only drives the browser,
        # so the ORM calls of these tests are safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # With a loop running, asgiref hands Django new connection objects (per context, not per
        # thread). Give them the snapshot taken at database setup, which serialized rollback
        # restores before each test.
        for alias, snapshot in _migrated_database.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # As root (CI), Chromium's sandbox cannot start.
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()
        connections.close_all()  # the ones made while the loop ran; the originals come back


def _context(browser, live_server, options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _remember(request, page):
    """Note the page on the test item, so a failure can photograph it (pytest_runtest_makereport)."""
    request.node.stash.setdefault(OPEN_PAGES, []).append(page)
    return page


@pytest.fixture
def phone(browser, live_server, request):
    """A page in a phone-sized browser (390 x 844, touch)."""
    context = _context(browser, live_server, PHONE)
    yield _remember(request, context.new_page())
    context.close()


@pytest.fixture
def desktop(browser, live_server, request):
    """A page in a desktop-sized browser, with its own cookies."""
    context = _context(browser, live_server, DESKTOP)
    yield _remember(request, context.new_page())
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a test fails, save a full-page screenshot of each of its open pages.

    To test-results/e2e/failures/<test name>-<n>.png, n counting the pages in the order the
    fixtures opened them. Runs before teardown closes the browser contexts.
    """
    report = yield
    pages = item.stash.get(OPEN_PAGES, [])
    if report.failed and report.when in ("setup", "call") and pages:
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.name).strip("_")
        for number, page in enumerate(pages, start=1):
            path = FAILURES / f"{name}-{number}.png"
            try:
                page.screenshot(path=path, full_page=True)
            except Exception as error:  # a crashed or closed page must not hide the real failure
                report.sections.append(("e2e screenshot", f"could not save {path}: {error}"))
            else:
                report.sections.append(("e2e screenshot", str(path)))
    return report


@pytest.fixture
def shot():
    """``shot(page, "name")`` saves test-results/e2e/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return save


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback, settings):
    """The demo MNVPs, public site and logins (README), each login with PASSWORD."""
    cache.clear()  # per-IP sign-up counts left by other tests: the live server is 127.0.0.1 too
    settings.ANTISPAM_MIN_FILL_SECONDS = 1
    partnerships = {p.slug: p for p in seed_partnerships()}
    seed_public_site(list(partnerships.values()))
    users = seed_logins(PASSWORD)
    return partnerships, users


@pytest.fixture
def log_in():
    """``log_in(page, "host.admin")`` signs in to the Wagtail admin as a demo login.

    Logins that must use two factors (security.policy) get the demo authenticator device
    if they have none, and pass the verification page with its current code.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from members.models import User
    from security.demo import seed_demo_devices
    from security.devices import confirmed_totp_device, current_code

    def sign_in(page, username):
        user = User.objects.get(username=username)
        device = confirmed_totp_device(user)
        if device is None and seed_demo_devices([user]):
            device = confirmed_totp_device(user)
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if device is not None:
            page.wait_for_url("**/admin/two-factor/verify/**")
            # A second sign-in within the same 30 seconds would reuse the code, which TOTP refuses.
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
            device.refresh_from_db()
            page.locator('[name="otp_token"]').fill(current_code(device))
            page.get_by_role("button", name="Verify").click()
        page.wait_for_url("**/admin/")

    return sign_in
