"""``manage.py backup_data DIR``: the database, media and private media, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump), MEDIA_ROOT and "
        "PRIVATE_MEDIA_ROOT into a new directory, with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A new (or empty) directory to write the backup to.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, directory, database, **options):
        try:
            manifest = backup(directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(model["count"] for model in manifest["models"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows:,} rows of {len(manifest['models'])} models "
                f"({manifest['database']['vendor']}) and media to {directory}."
            )
        )
