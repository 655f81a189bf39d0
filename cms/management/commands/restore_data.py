"""``manage.py restore_data DIR``: a backup into an empty database and empty media directories."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_data into an EMPTY database (a new SQLite file, or a new "
        "PostgreSQL database) and empty MEDIA_ROOT and PRIVATE_MEDIA_ROOT, then check every model's "
        "rows against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="The directory backup_data wrote.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, directory, database, **options):
        try:
            report = restore(directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if report.mismatches:
            raise CommandError("Restored, but rows differ from the backup:\n" + "\n".join(report.mismatches))
        files = ", ".join(f"{count} {name.replace('_', ' ')} files" for name, count in report.files.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report.rows:,} rows of {report.models} models, every one checked; {files}."
            )
        )
