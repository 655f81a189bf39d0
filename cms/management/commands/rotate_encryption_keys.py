"""Re-encrypt every encrypted column with the newest key in FIELD_ENCRYPTION_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from cms.encryption import EncryptedTextField, rotate


class Command(BaseCommand):
    help = "Re-encrypt every EncryptedTextField value with the first (newest) key; then the old key can go."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if fields:
                with transaction.atomic():
                    total += self.rotate_model(model, fields)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} rows with the newest key."))

    @staticmethod
    def rotate_model(model, fields) -> int:
        """Works on the raw tokens in SQL, so no plain text passes through Python objects."""
        quote = connection.ops.quote_name
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = [quote(f.column) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table}")
            rows = cursor.fetchall()
            for row_pk, *tokens in rows:
                values = [rotate(token) if token else token for token in tokens]
                assignments = ", ".join(f"{column} = %s" for column in columns)
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*values, row_pk])
        return len(rows)
