"""Backing up and restoring the whole system: the database, public media and private media.

A backup is a directory holding

- ``database.sqlite3`` (SQLite, copied with the online backup API, so the site can keep
  running) or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media.tar.gz`` and ``private-media.tar.gz``: ``MEDIA_ROOT`` and ``PRIVATE_MEDIA_ROOT``;
- ``manifest.json``: when, from which database engine, the rows of every model (a count
  and a checksum of their primary keys) and the SHA-256 of every file above.

A restore goes into an *empty* database and empty media directories (it never merges
into live data): it checks every file against the manifest first, loads the database
(``pg_restore`` or the backup API), unpacks the media, then counts every model again and
refuses to call it done unless every count and key checksum matches.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_ARCHIVES = {"media": "media.tar.gz", "private_media": "private-media.tar.gz"}


class BackupError(Exception):
    """The backup or restore cannot go on; ``str()`` says why and what to do."""


@dataclass
class RestoreReport:
    models: int = 0
    rows: int = 0
    files: dict[str, int] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)


def media_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private_media": Path(settings.PRIVATE_MEDIA_ROOT)}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backed_up_models():
    """Every concrete table Django knows, many-to-many tables included (proxies share a table)."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        yield model


def model_rows(using: str) -> dict[str, dict]:
    """For each model: how many rows, and a checksum of their primary keys in order.

    Only models whose table exists: a database a migration behind still backs up.
    """
    found = {}
    tables = set(connections[using].introspection.table_names())
    for model in backed_up_models():
        if model._meta.db_table not in tables:
            continue
        digest = hashlib.sha256()
        count = 0
        keys = model._base_manager.using(using).order_by("pk").values_list("pk", flat=True)
        for pk in keys.iterator(chunk_size=5000):
            digest.update(f"{pk}\n".encode())
            count += 1
        found[model._meta.label] = {"count": count, "keys_sha256": digest.hexdigest()}
    return found


# --- Backing up ---------------------------------------------------------------------------


def backup(target: Path, *, using: str = "default") -> dict:
    """Write a backup into ``target`` (a new or empty directory); return its manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory.")
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    vendor = connection.vendor
    if vendor == "sqlite":
        database_file = target / SQLITE_FILE
        _sqlite_backup(connection, database_file)
    elif vendor == "postgresql":
        database_file = target / POSTGRES_FILE
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database_file}"],
            connection,
        )
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    # Counted after the copy: rows added meanwhile are in neither, so the restore can check.
    rows = model_rows(using)
    files = {database_file.name: sha256_of(database_file)}
    for key, root in media_roots().items():
        archive = target / MEDIA_ARCHIVES[key]
        _archive(root, archive)
        files[archive.name] = sha256_of(archive)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": database_file.name},
        "models": rows,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _sqlite_backup(connection, destination: Path) -> None:
    """SQLite's online backup: a consistent copy while others keep reading and writing."""
    connection.ensure_connection()
    target = sqlite3.connect(destination)
    try:
        with target:
            connection.connection.backup(target)
    finally:
        target.close()


def _archive(root: Path, archive: Path) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                try:
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                except FileNotFoundError:  # deleted while we were backing up: not ours to keep
                    continue


def _postgres_env(connection) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore; the password goes in the environment."""
    params = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args.append(f"{flag}={params[key]}")
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return [*args, f"--dbname={params['NAME']}"], env


def _run(command: list[str], connection) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed. On Debian or Ubuntu: apt-get install postgresql-client "
            "(its major version at least the server's)."
        )
    args, env = _postgres_env(connection)
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


# --- Restoring ----------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    """The backup's manifest, after checking every file it names is there and unchanged."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: is it a backup directory?") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not one this version reads.")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if sha256_of(path) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def restore(source: Path, *, using: str = "default") -> RestoreReport:
    """Restore the backup in ``source`` into an empty database and empty media directories.

    Raises :class:`BackupError` before writing anything when the backup is damaged or
    the target is not empty; afterwards, the report lists any model whose rows differ.
    """
    source = Path(source)
    manifest = read_manifest(source)
    connection = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"This is a {vendor} backup; the database configured is {connection.vendor}.")
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already has {len(tables)} tables: "
            "restore into a new, empty database."
        )
    for root in media_roots().values():
        if root.is_dir() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty: restore media into an empty directory.")

    database_file = source / manifest["database"]["file"]
    if vendor == "sqlite":
        connection.ensure_connection()
        backup_copy = sqlite3.connect(database_file)
        try:
            backup_copy.backup(connection.connection)
        finally:
            backup_copy.close()
    else:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(database_file)], connection
        )

    report = RestoreReport()
    for key, root in media_roots().items():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_ARCHIVES[key], "r:gz") as tar:
            members = tar.getmembers()
            # The "data" filter refuses absolute paths, "..", links out of the tree and devices.
            tar.extractall(root, filter="data")
        report.files[key] = sum(1 for member in members if member.isfile())

    restored = model_rows(using)
    for label, expected in manifest["models"].items():
        found = restored.get(label)
        if found != expected:
            got = found["count"] if found else "no table"
            report.mismatches.append(f"{label}: {expected['count']} rows backed up, {got} restored")
        report.models += 1
        report.rows += expected["count"]
    return report
