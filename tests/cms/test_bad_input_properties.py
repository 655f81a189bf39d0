"""Arbitrary, odd and oversized input at the public forms and the spreadsheet imports (hypothesis).

For every generated example: the answer is a success or a clear message, never a crash
or a 500, and nothing is half-saved (the rows counted before and after differ by all of
what was accepted or by nothing).
"""

from __future__ import annotations

import csv
import io
import os

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import CharField
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cms.antispam import HONEYPOT_FIELD, TIMESTAMP_FIELD, issue_token
from home.demo import seed_public_site
from home.models import MNVPPage
from members.enums import ImportKind, ImportStatus
from members.models import Application, EqualityMonitoring, ImportJob, Membership, Person, TrainingRecord
from members.resources import MembershipResource, PersonResource, TrainingRecordResource
from members.services.imports import FileProblem, check_import, confirm_import, run_import, start_import
from tests.factories import CourseFactory, MembershipFactory, PersonFactory
from workplans.feedback_resources import FeedbackItemResource
from workplans.models import FeedbackItem

pytestmark = pytest.mark.django_db

# PROOF_EXAMPLES=500 for a longer hunt; the suite runs 40 per form.
MAX_EXAMPLES = int(os.environ.get("PROOF_EXAMPLES", "40"))
EXAMPLES = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- What we throw ---------------------------------------------------------------------------

# Every Unicode category but lone surrogates (which no UTF-8 form or file can carry).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
ODD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202eevil\u202c",  # right-to-left override
        "مرحبا بالعالم",  # Arabic, right to left
        "שלום",
        "👩🏽‍🍼🤱🏿",  # emoji with skin tones and joiners
        "\ufeff",  # byte-order mark
        "\u200b\u200d",  # zero-width
        "Zoë O\u2019Brien-Łukasz",
        '=HYPERLINK("http://x")',
        "+cmd|' /C calc'!A0",
        "-1+1",
        "@SUM(A1)",
        "\t\r\n",
        "'; DROP TABLE members_person; --",
        "<script>alert(1)</script>",
        "%s%s%n",
        "{{ request }}",
        "31/02/2026",
        "2026-13-45",
        "99999999999999999999999",
        "-0",
        "NaN",
        "x" * 300,
        "ÿ" * 5001,
    ]
)
TEXT = st.one_of(ODD, st.text(ANY_CHAR, max_size=60), st.text(ANY_CHAR, min_size=250, max_size=600))
# An oversized value, cheap to build: a random character repeated past every field's limit.
HUGE = st.builds(lambda char, count: char * count, ANY_CHAR, st.integers(5_001, 20_000))
VALUE = st.one_of(TEXT, HUGE, st.integers().map(str), st.floats(allow_nan=True).map(str))


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def counts(*models) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in models)


def assert_fits_columns(*models):
    """Every saved text fits its column: SQLite would keep an overlong value that PostgreSQL refuses."""
    for model in models:
        for field in model._meta.concrete_fields:
            if not isinstance(field, CharField) or not field.max_length:
                continue
            for value in model.objects.exclude(**{field.attname: ""}).values_list(field.attname, flat=True):
                if isinstance(value, str):
                    assert len(value) <= field.max_length, (model.__name__, field.name, len(value))


# --- Public forms ----------------------------------------------------------------------------

SIGNUP_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "partnerships",
    "lived_experience",
    "involvement",
    "availability",
    "access_needs",
    "language_needs",
    "heard_about",
    "message",
    "contact_consent",
    "privacy_consent",
    "ethnicity",
    "age_band",
    "disability",
    "sexual_orientation",
    "gender_identity_same_as_sex",
    "religion",
]


def good_signup(north) -> dict:
    return {
        "first_name": "Amina",
        "last_name": "Yusuf",
        "email": "amina@example.org",
        "phone": "",
        "postcode": "NS1 2AB",
        "partnerships": [str(north.pk)],
        "involvement": ["listening"],
        "availability": ["weekend"],
        "privacy_consent": "on",
        TIMESTAMP_FIELD: issue_token(now=0),
        HONEYPOT_FIELD: "",
    }


def assert_clear_answer(response, *, saved: bool):
    """A page that thanks, or one that says what to put right; never a crash."""
    assert response.status_code in (200, 302, 429), response.status_code
    if not saved and response.status_code == 200:
        body = response.content.decode()
        assert "error" in body.lower() or "thank" in body.lower(), body[:500]


@pytest.fixture
def public_site(north, south):
    return seed_public_site([north, south])


@EXAMPLES
@given(fields=st.dictionaries(st.sampled_from(SIGNUP_FIELDS), st.one_of(VALUE, st.lists(VALUE, max_size=3))))
def test_the_volunteer_sign_up_answers_any_input_clearly_and_saves_all_or_nothing(
    client, public_site, north, fields
):
    cache.clear()
    data = {**good_signup(north), **fields}
    before = counts(Person, Application, EqualityMonitoring)
    response = client.post("/get-involved/", data)
    after = counts(Person, Application, EqualityMonitoring)
    thanked = response.status_code == 200 and "Thank you" in response.content.decode()
    if thanked:
        # A new person, or the one with that email updated (their open application kept).
        assert after[0] - before[0] in (0, 1)
        assert after[1] >= before[1]
    else:
        assert after == before, "a refused sign-up saves nothing"
    assert_clear_answer(response, saved=thanked)
    assert_fits_columns(Person, Application, EqualityMonitoring)


def test_a_sign_up_with_a_nul_character_is_refused_with_a_message(client, public_site, north):
    response = client.post("/get-involved/", {**good_signup(north), "first_name": "Am\x00ina"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert not Person.objects.exists()


@EXAMPLES
@given(params=st.dictionaries(st.sampled_from(["topic", "area", "mnvp", "q", "page"]), VALUE, max_size=4))
def test_the_signposting_directory_answers_any_filter(client, public_site, params):
    response = client.get("/find-support/", params)
    assert response.status_code == 200


FEEDBACK_FIELDS = ["text", "service_area", "sentiment"]


@EXAMPLES
@given(
    fields=st.dictionaries(st.sampled_from(FEEDBACK_FIELDS), st.one_of(VALUE, st.lists(VALUE, max_size=2)))
)
def test_the_public_feedback_form_answers_any_input_clearly_and_saves_all_or_nothing(
    client, public_site, north, fields
):
    cache.clear()
    url = MNVPPage.objects.get(partnership=north).url + "feedback/"
    data = {
        "text": "The midwife listened.",
        "service_area": "birth",
        TIMESTAMP_FIELD: issue_token(now=0),
        HONEYPOT_FIELD: "",
        **fields,
    }
    before = FeedbackItem.objects.count()
    response = client.post(url, data)
    after = FeedbackItem.objects.count()
    if response.status_code == 302:
        assert response["Location"].endswith("/feedback/thanks/")
        assert after == before + 1
        assert_fits_columns(FeedbackItem)
    else:
        assert response.status_code == 200, response.status_code
        assert after == before
        assert "error" in response.content.decode().lower()


# --- Imports ---------------------------------------------------------------------------------

RESOURCES = {
    ImportKind.PEOPLE: (PersonResource, (Person,)),
    ImportKind.MEMBERSHIPS: (MembershipResource, (Membership, Person)),
    ImportKind.TRAINING: (TrainingRecordResource, (TrainingRecord,)),
    ImportKind.FEEDBACK: (FeedbackItemResource, (FeedbackItem,)),
}


def headings(kind) -> list[str]:
    return [column.heading for column in RESOURCES[kind][0].columns]


def good_cells(kind) -> dict[str, str]:
    """A row that imports cleanly, for the values hypothesis leaves alone."""
    return {
        "Email": "someone@example.org",
        "First name": "Sam",
        "Last name": "Lee",
        "MNVP": "Northshire MNVP",
        "Role": "volunteer",
        "Course": "Safeguarding adults level 1",
        "Completed on": "2026-01-15",
        "Received on": "2026-01-15",
        "Source": "survey",
        "Service area": "birth",
        "Comment": "Kind staff on the ward.",
    }


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        # A workbook cannot hold control characters at all: openpyxl refuses to write them.
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def spreadsheets(draw, kind):
    """Headings (the real ones, some dropped, some junk) and rows of arbitrary cells."""
    real = headings(kind)
    chosen = draw(st.lists(st.sampled_from(real), unique=True, min_size=0, max_size=len(real)))
    junk = draw(st.lists(TEXT, max_size=2))
    header = chosen + junk
    defaults = good_cells(kind)
    rows = []
    for index in range(draw(st.integers(0, 4))):
        row = []
        for heading in header:
            keep = draw(st.booleans()) and heading in defaults
            value = defaults[heading] if keep else draw(VALUE)
            if heading == "Email" and keep:
                value = f"person{index}@example.org"
            row.append(value)
        rows.append(row)
    return [header, *rows]


def import_file(user, kind, content: bytes, name: str):
    """Upload, check, confirm if clean, import: as the Celery tasks would, one after the other."""
    try:
        job = start_import(user=user, kind=kind, uploaded_file=SimpleUploadedFile(name, content))
    except FileProblem as problem:
        refusal = str(problem)
    else:
        refusal = None
    if refusal is not None:
        assert refusal.strip(), "a refused file says why"
        return None
    job = check_import(job.pk)
    assert job.status in (ImportStatus.CHECKED, ImportStatus.INVALID)
    if job.status == ImportStatus.CHECKED:
        confirm_import(job=job, user=user)
        job = run_import(job.pk)
    for problem in job.errors:
        assert problem["message"].strip(), "every problem has a message"
        assert "Traceback" not in problem["message"]
    return job


@pytest.fixture
def import_world(north, south):
    CourseFactory(name="Safeguarding adults level 1")
    MembershipFactory(partnership=north, person=PersonFactory(email="someone@example.org"))


def assert_all_or_nothing(job, kind, before, after):
    models = RESOURCES[kind][1]
    if job is not None and job.status == ImportStatus.IMPORTED:
        assert after[0] - before[0] == job.summary.get("new", 0), (job.summary, before, after)
        assert_fits_columns(*models)
    else:
        assert after == before, f"a refused import changed nothing ({models})"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(RESOURCES))
@settings(
    max_examples=max(MAX_EXAMPLES * 3 // 8, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_an_import_of_any_spreadsheet_answers_clearly_and_saves_all_or_nothing(
    host_staff, import_world, kind, fmt, data
):
    rows = data.draw(spreadsheets(kind))
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    models = RESOURCES[kind][1]
    before = counts(*models)
    job = import_file(host_staff, kind, content, f"upload.{fmt}")
    assert_all_or_nothing(job, kind, before, counts(*models))


@EXAMPLES
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.text(ANY_CHAR, max_size=500).map(lambda text: text.encode("utf-8")),
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf",
                b"Email\n",
                b"\x00\x00\x00",
                b"PK\x03\x04broken zip",
                "Email,First name,Last name\n\u00e9,\u00e9,\u00e9\n".encode("latin-1"),
                b"Email,Email\na@example.org,b@example.org\n",
                b'"unclosed,quote\n',
            ]
        ),
    ),
    fmt=st.sampled_from(["csv", "xlsx", "txt", "CSV", ""]),
    kind=st.sampled_from(list(RESOURCES)),
)
def test_a_damaged_or_foreign_file_is_refused_with_a_message_and_changes_nothing(
    host_staff, import_world, content, fmt, kind
):
    models = RESOURCES[kind][1]
    before = counts(*models)
    job = import_file(host_staff, kind, content, f"upload.{fmt}" if fmt else "upload")
    assert_all_or_nothing(job, kind, before, counts(*models))
    ImportJob.objects.all().delete()
