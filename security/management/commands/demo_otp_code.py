"""Print the current two-factor code of a demo login (for trying the demo without a phone)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security.demo import is_demo_device
from security.devices import confirmed_totp_device, current_code


class Command(BaseCommand):
    help = "Print the code a demo login's authenticator would show now (DEBUG, or the public demo key only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        device = confirmed_totp_device(user) if user else None
        if device is None:
            raise CommandError(f"{username} has no authenticator device.")
        if not (settings.DEBUG or is_demo_device(device)):
            raise CommandError("Refused: this is not a demo device and DEBUG is off.")
        self.stdout.write(current_code(device))
