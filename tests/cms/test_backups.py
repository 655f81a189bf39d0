"""Backup and restore: everything backed up comes back, into an empty database and empty media.

The restore runs as ``manage.py restore_data`` in a fresh process pointed at a new
database (SQLite: a new file; PostgreSQL, when the suite runs on it: a scratch
database), exactly as an operator would run it.
"""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import FileField
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.models import Collection

from cms.backups import MANIFEST
from cms.models import AccessLogEntry, BankHoliday, FailedTask
from members.models import Person, TrainingRecord
from members.models.training import private_storage
from safeguarding.models import Case, Concern
from safeguarding.permissions import grant_case_access
from tests.factories import (
    CaseFactory,
    ConcernFactory,
    CourseFactory,
    MembershipFactory,
    PartnershipFactory,
    PersonFactory,
    TrainingRecordFactory,
    UserFactory,
)
from tests.safeguarding.directory_factories import SupportOrganisationFactory
from tests.workplans.feedback_factories import FeedbackItemFactory
from tests.workplans.money_factories import PDF
from tests.workplans.plan_factories import milestone_in

# Committed data: a backup reads what other connections see (pg_dump, SQLite's backup API).
# serialized_rollback puts back what migrations seeded (groups, the root collection) afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROJECT_DIR = Path(settings.BASE_DIR)
APPS_WITH_RECORDS = {"cms", "members", "workplans", "safeguarding", "wagtaildocs", "auth", "guardian"}


@pytest.fixture
def media(tmp_path):
    """Public and private media in directories of this test only (others' tests write the shared ones)."""
    media_root, private_root = tmp_path / "media", tmp_path / "private-media"
    # The file fields hold the private storage they were built with; a test that changed
    # settings.STORAGES since makes storages["private"] a different instance. Move both.
    private = {storages["private"]} | {
        field.storage
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, FileField) and getattr(field, "_storage_callable", None) is private_storage
    }
    saved = {storage: storage._location for storage in private}

    def point_at(storage, location):
        storage._location = location
        for cached in ("base_location", "location"):
            storage.__dict__.pop(cached, None)

    for storage in private:
        point_at(storage, str(private_root))
    with override_settings(MEDIA_ROOT=media_root, PRIVATE_MEDIA_ROOT=private_root):
        yield media_root, private_root
    for storage, location in saved.items():
        point_at(storage, location)


@pytest.fixture
def records(media):
    north = PartnershipFactory(name="Northshire")
    person = PersonFactory(email="ada@example.org", first_name="Ada")
    MembershipFactory(person=person, partnership=north)
    training = TrainingRecordFactory(
        person=person, course=CourseFactory(), certificate=ContentFile(PDF, name="cert.pdf")
    )
    milestone_in(north)
    FeedbackItemFactory(partnership=north)
    concern = ConcernFactory(partnership=north)
    case = CaseFactory(partnership=north)
    SupportOrganisationFactory()
    user = UserFactory(username="restored.user")
    grant_case_access(case, user)
    BankHoliday.objects.create(date="2031-06-30", name="A made-up holiday")
    AccessLogEntry.objects.create(user=user, action="view", content_type_id=1, object_repr="x")
    FailedTask.objects.create(task_name="members.tasks.x", exception_type="OSError")
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    document = Document.objects.create(
        title="Minutes", file=ContentFile(b"public minutes\n", name="minutes.txt")
    )
    return {"person": person, "training": training, "concern": concern, "case": case, "document": document}


def restore_env(media_root: Path, private_root: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
    }


def run_restore(backup_dir: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore_data", str(backup_dir)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


class ScratchDatabase:
    """A new, empty database of the engine the suite runs on; reads rows back by table and key."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            params = connection.settings_dict
            self.name = f"restore_{uuid.uuid4().hex[:12]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
            self.url = (
                f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{self.name}"
            )

    def connect(self):
        if self.vendor == "sqlite":
            # Decoded as Django reads them (its converters for bool, timestamps and so on).
            return sqlite3.connect(self.path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        import psycopg

        return psycopg.connect(self.url.replace("postgres://", "postgresql://"))

    def row(self, model, pk) -> dict:
        columns = [field.column for field in model._meta.concrete_fields]
        marker = "?" if self.vendor == "sqlite" else "%s"
        quoted = ", ".join(f'"{column}"' for column in columns)
        with self.connect() as db:
            cursor = db.cursor()
            cursor.execute(f'SELECT {quoted} FROM "{model._meta.db_table}" WHERE "id" = {marker}', [pk])
            found = cursor.fetchone()
        return dict(zip(columns, found, strict=True)) if found else {}

    def drop(self):
        if self.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


def source_row(model, pk) -> dict:
    columns = [field.column for field in model._meta.concrete_fields]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE id = %s", [pk])
        return dict(zip(columns, cursor.fetchone(), strict=True))


def comparable(row: dict) -> dict:
    """Values as text: SQLite hands back text where PostgreSQL hands back dates and decimals."""
    return {key: None if value is None else str(value) for key, value in row.items()}


def test_a_backup_restores_into_an_empty_database_with_every_record_and_file(tmp_path, records):
    backup_dir = tmp_path / "backup"
    call_command("backup_data", str(backup_dir))
    manifest = json.loads((backup_dir / MANIFEST).read_text())
    with_rows = {label.split(".")[0] for label, model in manifest["models"].items() if model["count"]}
    assert with_rows >= APPS_WITH_RECORDS
    assert manifest["models"]["members.Person"]["count"] == Person.objects.count()

    new_media, new_private = tmp_path / "new-media", tmp_path / "new-private"
    scratch = ScratchDatabase(tmp_path)
    try:
        done = run_restore(backup_dir, restore_env(new_media, new_private, scratch.url))
        assert done.returncode == 0, done.stderr
        assert "every one checked" in done.stdout
        # A sample of values, column by column, equal to the source's.
        for model, obj in (
            (Person, records["person"]),
            (TrainingRecord, records["training"]),
            (Concern, records["concern"]),
            (Case, records["case"]),
            (Document, records["document"]),
        ):
            assert comparable(scratch.row(model, obj.pk)) == comparable(source_row(model, obj.pk)), model
    finally:
        scratch.drop()

    certificate = records["training"].certificate.name
    assert (new_private / certificate).read_bytes() == PDF
    assert (new_media / records["document"].file.name).read_bytes() == b"public minutes\n"


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, records):
    backup_dir = tmp_path / "backup"
    call_command("backup_data", str(backup_dir))
    with pytest.raises(CommandError, match="restore into a new, empty database"):
        call_command("restore_data", str(backup_dir))


def test_restore_refuses_a_damaged_backup_before_touching_anything(tmp_path, records):
    backup_dir = tmp_path / "backup"
    call_command("backup_data", str(backup_dir))
    archive = backup_dir / "private-media.tar.gz"
    archive.write_bytes(archive.read_bytes() + b"tampered")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_data", str(backup_dir))


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path, media):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "file").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_data", str(tmp_path / "old"))
