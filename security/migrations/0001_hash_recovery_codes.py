"""Recovery codes kept as typed (django-otp's way) become keyed hashes (security.devices.stored_form).

A code made before this still works once: its hash is what is kept now. Hashes are not
turned back into codes, so there is nothing to reverse to: going back leaves them hashed.
"""

from django.db import migrations

PLAIN_LENGTH = 8  # django-otp's StaticToken.random_token(): five random bytes in base32


def hash_plain_codes(apps, schema_editor):
    from security.devices import stored_form

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        if len(token.token) <= PLAIN_LENGTH:
            token.token = stored_form(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [("otp_static", "0003_add_timestamps")]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
