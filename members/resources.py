"""django-import-export resources for spreadsheets of people and memberships.

Every row is checked in Python first (:meth:`SpreadsheetResource.check_rows`), with
the records it may match loaded in a constant number of queries, so the preview
lists every problem of every row at once. django-import-export then runs the
import row by row in one transaction, saving in bulk; any error rolls all of it
back (see :mod:`members.services.imports`).

Matching never duplicates a person: a row is matched to a person by email, in any
case. A blank cell leaves what we hold unchanged; it never erases it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models.functions import Lower
from django.utils import timezone
from import_export import resources

from . import spreadsheet_cells as cells
from .enums import MembershipRole, PPVCategory, PreferredContact
from .models import Course, Membership, Partnership, Person, TrainingRecord
from .scoping import ALL, permitted_partnership_ids

LOOKUP_CHUNK = 2000
UPDATE_BATCH = 50


@dataclass(frozen=True)
class Column:
    """One column a file may carry: its name, the heading we export, how to read a cell."""

    name: str
    heading: str
    parse: Callable[[Any], Any]
    required: bool = False  # the column must be in the file and no cell of it may be blank
    aliases: tuple[str, ...] = ()
    note: str = ""  # when it is needed, where that is not simply yes or no


@dataclass
class CheckedRow:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    instance: Any = None  # the record this row updates; None for a new one

    def add_error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def header_key(heading) -> str:
    """``" First Name "`` -> ``"first_name"``: headings match whatever their case or spacing."""
    return re.sub(r"[^a-z0-9]+", "_", str(heading or "").strip().lower()).strip("_")


def in_chunks(values: Iterable, size: int = LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def people_by_email(emails: Iterable[str]) -> dict[str, Person]:
    """The people these (lower-case) emails belong to, matched case-insensitively."""
    found = {}
    for chunk in in_chunks(set(emails)):
        for person in Person.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=chunk):
            found[person.email_ci] = person
    return found


def update_rows(model, instances, field_names: list[str]) -> None:
    """``UPDATE ... SET ... WHERE pk = %s`` for every instance, sent as one ``executemany``.

    Django's ``bulk_update`` builds a ``CASE`` per field with a ``WHEN`` per row in
    Python, which measured at ~1,600 rows a second (benchmarks/RESULTS.md); this is
    the same writes at database speed, and stays inside the caller's transaction.
    """
    if not instances or not field_names:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    params = [
        [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields] + [instance.pk]
        for instance in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _text(max_length):
    return lambda value: cells.text(value, max_length=max_length)


NAME_NOTE = "For someone new to us (MNVP leads: on every row)"
PERSON_DETAIL_COLUMNS = (
    Column("first_name", "First name", _text(100), aliases=("forename", "given_name"), note=NAME_NOTE),
    Column("last_name", "Last name", _text(100), aliases=("surname", "family_name"), note=NAME_NOTE),
    Column("phone", "Phone", _text(30), aliases=("telephone", "phone_number", "mobile")),
    Column("postcode", "Postcode", cells.postcode, aliases=("post_code",)),
)


class SpreadsheetResource(resources.ModelResource):
    """A resource whose rows are all checked before the first is saved.

    Subclasses name their ``columns`` and fill ``check_rows``; everything a row
    will write is worked out there, and the import machinery only applies it.
    """

    columns: ClassVar[tuple[Column, ...]] = ()
    progress_every = 250

    def __init__(self, *, user, on_progress: Callable[[int], None] | None = None):
        super().__init__()
        self.user = user
        self.on_progress = on_progress or (lambda rows: None)
        self.rows: dict[int, CheckedRow] = {}
        self.current = CheckedRow()
        self.counts: Counter[str] = Counter()

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True
        clean_model_instances = False  # check_rows has validated every value already
        use_transactions = True

    # Reading the file's headings -------------------------------------------------

    @classmethod
    def match_headers(cls, headings: Iterable) -> tuple[list[str], list[str], list[str]]:
        """Rename headings to column names.

        Returns the new headings, the headings of required columns that are missing,
        and the headings we do not know (ignored, and said so in the preview).
        """
        known = {}
        for column in cls.columns:
            for key in (column.name, header_key(column.heading), *column.aliases):
                known[key] = column.name
        renamed, unknown = [], []
        for heading in headings:
            name = known.get(header_key(heading))
            renamed.append(name or f"ignored:{heading}")
            if name is None and not cells.is_blank(heading):
                unknown.append(str(heading))
        missing = [column.heading for column in cls.columns if column.required and column.name not in renamed]
        return renamed, missing, unknown

    # Checking every row ----------------------------------------------------------

    def read_cells(self, raw: dict) -> CheckedRow:
        """Each known column of one row read into a value; blank optional cells left out."""
        row = CheckedRow()
        for column in self.columns:
            if column.name not in raw:
                continue
            value = raw[column.name]
            if cells.is_blank(value):
                if column.required:
                    row.add_error(column.name, f"{column.heading} cannot be empty.")
                continue
            try:
                row.values[column.name] = column.parse(value)
            except cells.CellError as error:
                row.add_error(column.name, str(error))
        return row

    def check_rows(self, dataset) -> dict[int, CheckedRow]:
        raise NotImplementedError

    # django-import-export hooks ---------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.rows = self.check_rows(dataset)

    def before_import_row(self, row, row_number=None, **kwargs):
        self.current = self.rows[row_number]

    def get_or_init_instance(self, instance_loader, row):
        if self.current.instance is not None:
            return self.current.instance, False
        return self.init_instance(row), True

    def import_instance(self, instance, row, **kwargs):
        if self.current.errors:
            raise ValidationError(self.current.errors)
        for name, value in self.current.values.items():
            setattr(instance, name, value)

    def after_import_row(self, row, row_result, row_number=None, **kwargs):
        if row_number and row_number % self.progress_every == 0:
            self.on_progress(row_number)

    def get_bulk_update_fields(self):
        """Only the fields some row sets: fewer CASE clauses in each UPDATE."""
        touched = set().union(*(row.values for row in self.rows.values() if row.instance is not None))
        return [name for name in self.update_fields if name in touched]

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the batch's updates with :func:`update_rows` instead of Django's ``bulk_update``."""
        if self.update_instances and (using_transactions or not dry_run):
            try:
                update_rows(self._meta.model, self.update_instances, self.get_bulk_update_fields())
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def save_m2m(self, instance, row, **kwargs):
        """No many-to-many columns: skip the per-row walk over every field."""


PERSON_COLUMNS = (
    Column("email", "Email", cells.email, required=True, aliases=("email_address", "e_mail")),
    *(
        Column(c.name, c.heading, c.parse, required=c.name in ("first_name", "last_name"), aliases=c.aliases)
        for c in PERSON_DETAIL_COLUMNS
    ),
    Column(
        "preferred_contact",
        "Preferred contact",
        lambda value: cells.choice(value, PreferredContact),
        aliases=("contact_by",),
    ),
    Column(
        "contact_consent",
        "Agrees to hear about opportunities",
        cells.boolean,
        aliases=("consent_to_contact", "newsletter"),
    ),
    Column("access_needs", "Access needs", _text(2000)),
    Column("language_needs", "Language needs", _text(200)),
)


class PersonResource(SpreadsheetResource):
    """People: matched by email; contact details and preferences."""

    columns = PERSON_COLUMNS
    update_fields = (
        *(column.name for column in PERSON_COLUMNS if column.name != "email"),
        "contact_consent_changed_at",
        "updated_at",
    )

    class Meta(SpreadsheetResource.Meta):
        model = Person
        fields = tuple(column.name for column in PERSON_COLUMNS)
        import_id_fields = ("email",)

    def check_rows(self, dataset):
        rows = {number: self.read_cells(raw) for number, raw in enumerate(dataset.dict, 1)}
        flag_repeats(
            rows, lambda row: row.values.get("email"), "This email is also on row {}: one row per person."
        )
        existing = people_by_email(row.values["email"] for row in rows.values() if "email" in row.values)
        now = timezone.now()
        for row in rows.values():
            row.instance = existing.get(row.values.get("email"))
            consent = row.values.get("contact_consent")
            if consent is not None and (row.instance is None or row.instance.contact_consent != consent):
                row.values["contact_consent_changed_at"] = now
            if row.instance is not None:
                row.values["updated_at"] = now
        return rows


def flag_repeats(rows: dict[int, CheckedRow], key, message: str, column: str = "email") -> None:
    """Mark every row whose key an earlier row already has: a file may not say a thing twice."""
    first_row_of = {}
    for number, row in rows.items():
        value = key(row)
        if value is None:
            continue
        if value in first_row_of:
            row.add_error(column, message.format(first_row_of[value] + 1))
        else:
            first_row_of[value] = number


MEMBERSHIP_COLUMNS = (
    Column("email", "Email", cells.email, required=True, aliases=("email_address", "e_mail", "person_email")),
    Column("mnvp", "MNVP", _text(200), required=True, aliases=("partnership", "mnvp_name")),
    Column("role", "Role", lambda value: cells.choice(value, MembershipRole), required=True),
    Column(
        "ppv_category",
        "PPV category",
        lambda value: cells.choice(value, PPVCategory),
        aliases=("ppv", "category"),
    ),
    Column("start_date", "Start date", cells.date, aliases=("start", "from")),
    Column("end_date", "End date", cells.date, aliases=("end", "until")),
    *PERSON_DETAIL_COLUMNS,
)


class MembershipResource(SpreadsheetResource):
    """Memberships of an MNVP the user may change; adds the people it does not know.

    It never changes an existing person's details (that is the people import's job,
    and a lead may not change someone another MNVP also holds).
    """

    columns = MEMBERSHIP_COLUMNS
    update_fields = ("ppv_category", "start_date", "end_date")

    class Meta(SpreadsheetResource.Meta):
        model = Membership
        fields = ("role", "ppv_category", "start_date", "end_date")

    def partnerships_by_name(self) -> dict[str, Partnership]:
        """The MNVPs this user may import into, by name and by slug, in any case."""
        found = {}
        for partnership in Partnership.objects.for_user(self.user, "change"):
            found[partnership.name.casefold()] = partnership
            found[partnership.slug.casefold()] = partnership
        return found

    def check_rows(self, dataset):
        partnerships = self.partnerships_by_name()
        rows = {}
        for number, raw in enumerate(dataset.dict, 1):
            row = rows[number] = self.read_cells(raw)
            name = row.values.pop("mnvp", None)
            if name is not None:
                partnership = partnerships.get(name.casefold())
                if partnership is None:
                    row.add_error("mnvp", f"“{name}” is not an MNVP you may import into.")
                else:
                    row.values["partnership"] = partnership
            start, end = row.values.get("start_date"), row.values.get("end_date")
            if start and end and end < start:
                row.add_error("end_date", "The end date cannot be before the start date.")
        flag_repeats(rows, self.membership_key, "Row {} already gives this person this role in this MNVP.")
        self.match_people(rows)
        self.match_memberships(rows)
        return rows

    @staticmethod
    def membership_key(row):
        values = row.values
        if not all(values.get(name) for name in ("email", "partnership", "role")):
            return None
        return values["email"], values["partnership"].pk, values["role"]

    def match_people(self, rows):
        """Find each row's person; add (in this transaction) the ones we do not hold.

        Someone who may not see every MNVP gives names on every row, so that what
        the import asks of them never tells whether an email is known elsewhere.
        """
        emails = {row.values["email"] for row in rows.values() if "email" in row.values}
        people = people_by_email(emails)
        names_always = permitted_partnership_ids(self.user, "change") is not ALL
        new_people = {}
        for row in rows.values():
            email = row.values.get("email")
            if email is None:
                continue
            person = people.get(email) or new_people.get(email)
            missing = [c for c in PERSON_DETAIL_COLUMNS[:2] if not row.values.get(c.name)]
            if missing and (person is None or names_always):
                named = " and ".join(c.heading.lower() for c in missing)
                reason = "is new to us" if person is None else "needs a name on every row"
                row.add_error(missing[0].name, f"{email} {reason}: give their {named}.")
                continue
            if person is None:
                person = new_people[email] = Person(email=email)
            for column in PERSON_DETAIL_COLUMNS:
                value = row.values.pop(column.name, None)
                if email in new_people and value and not getattr(person, column.name):
                    setattr(person, column.name, value)
            row.values["person"] = person
        for chunk in in_chunks(new_people.values(), 1000):
            Person.objects.bulk_create(chunk)
        self.counts["people_added"] = len(new_people)

    def match_memberships(self, rows):
        """A row updates the person's open membership in that role, or one with the same start."""
        people = {row.values["person"].pk for row in rows.values() if row.values.get("person")}
        open_memberships, by_start = {}, {}
        partnership_ids = {
            row.values["partnership"].pk for row in rows.values() if "partnership" in row.values
        }
        for chunk in in_chunks(people):
            for membership in Membership.objects.filter(person__in=chunk, partnership__in=partnership_ids):
                key = (membership.person_id, membership.partnership_id, membership.role)
                if membership.end_date is None:
                    open_memberships[key] = membership
                by_start[(*key, membership.start_date)] = membership
        for row in rows.values():
            values = row.values
            if not (values.get("person") and values.get("partnership") and values.get("role")):
                continue
            key = (values["person"].pk, values["partnership"].pk, values["role"])
            row.instance = open_memberships.get(key) or by_start.get((*key, values.get("start_date")))


TRAINING_COLUMNS = (
    Column("email", "Email", cells.email, required=True, aliases=("email_address", "e_mail", "person_email")),
    Column("course", "Course", _text(150), required=True, aliases=("course_name", "training")),
    Column("completed_on", "Completed on", cells.date, required=True, aliases=("completed", "date")),
    Column("notes", "Notes", _text(300)),
)


class TrainingRecordResource(SpreadsheetResource):
    """Training completions of people already on record, in the MNVPs the user may change.

    A row for someone the user cannot reach reads exactly as a row for nobody, so an
    import never tells whether an email is known elsewhere.
    """

    columns = TRAINING_COLUMNS
    update_fields = ("notes",)

    class Meta(SpreadsheetResource.Meta):
        model = TrainingRecord
        fields = ("completed_on", "notes")

    def check_rows(self, dataset):
        courses = {course.name.casefold(): course for course in Course.objects.all()}
        today = timezone.localdate()
        rows = {}
        for number, raw in enumerate(dataset.dict, 1):
            row = rows[number] = self.read_cells(raw)
            name = row.values.pop("course", None)
            if name is not None:
                course = courses.get(name.casefold())
                if course is None:
                    row.add_error("course", f"“{name}” is not a course in the catalogue.")
                else:
                    row.values["course"] = course
            completed_on = row.values.get("completed_on")
            if completed_on and completed_on > today:
                row.add_error("completed_on", "A course cannot be completed in the future.")
        flag_repeats(rows, self.record_key, "Row {} already records this course for this person on this day.")
        self.match_people(rows)
        return rows

    @staticmethod
    def record_key(row):
        values = row.values
        if not all(values.get(name) for name in ("email", "course", "completed_on")):
            return None
        return values["email"], values["course"].pk, values["completed_on"]

    def match_people(self, rows):
        emails = {row.values["email"] for row in rows.values() if "email" in row.values}
        reachable = Person.objects.for_user(self.user, "change")
        people = {}
        for chunk in in_chunks(emails):
            for person in reachable.annotate(email_ci=Lower("email")).filter(email_ci__in=chunk):
                people[person.email_ci] = person
        existing = {}
        for chunk in in_chunks([p.pk for p in people.values()]):
            for record in TrainingRecord.objects.filter(person__in=chunk):
                existing[(record.person_id, record.course_id, record.completed_on)] = record
        for row in rows.values():
            email = row.values.get("email")
            if email is None:
                continue
            person = people.get(email)
            if person is None:
                row.add_error("email", f"{email} is not anyone in your MNVPs: add them first.")
                continue
            row.values["person"] = person
            course, completed_on = row.values.get("course"), row.values.get("completed_on")
            if course and completed_on:
                row.values["expires_on"] = course.expiry_for(completed_on)
                row.values["recorded_by"] = self.user
                row.instance = existing.get((person.pk, course.pk, completed_on))
