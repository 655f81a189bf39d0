"""Fill an empty (or earlier-seeded) database with the demo, so the product is explorable."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo import seed_public_events, seed_public_site
from members.demo import DEMO_LOGINS, seed_logins, seed_partnerships, seed_recruitment
from members.enums import Role
from members.models import User
from members.training_demo import seed_training
from privacy.demo import seed_data_requests
from safeguarding.demo import DEMO_CASE_LOGINS, seed_cases, seed_safeguarding
from security.demo import DEMO_TOTP_KEY_BASE32, seed_demo_devices
from volunteers.demo import DEMO_VOLUNTEER_EMAIL, seed_demo_volunteer
from workplans.activities_demo import seed_activities
from workplans.demo import seed_workplans
from workplans.feedback_demo import seed_feedback
from workplans.leadership_demo import seed_leadership
from workplans.meetings_demo import seed_meetings
from workplans.money_demo import seed_money

DEFAULT_DEMO_PASSWORD = "mnvp-demo-2026"


class Command(BaseCommand):
    help = "Create or refresh the demo MNVPs, pages and logins (never on a production database)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: it sets known passwords.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        with transaction.atomic():
            partnerships = seed_partnerships()
            seed_public_site(partnerships)
            seed_logins(password)
            seed_recruitment()
            seed_training()
            seed_safeguarding()
            seed_cases(password)
            seed_demo_devices(User.objects.filter(username__in=[*DEMO_LOGINS, *DEMO_CASE_LOGINS]))
            seed_workplans()
            seed_money()
            seed_leadership()
            seed_activities()
            seed_public_events(partnerships)
            seed_meetings()
            seed_feedback()
            seed_demo_volunteer()
            seed_data_requests()
        self.stdout.write(self.style.SUCCESS("Demo ready. Log in at /admin/ with any of:"))
        for username, (_first, _last, role, access) in DEMO_LOGINS.items():
            what = role.label if role else ", ".join(f"{r.label} of {slug}" for slug, r in access)
            self.stdout.write(f"  {username:<18} {what}")
        for username, (_first, _last, roles) in DEMO_CASE_LOGINS.items():
            what = " and ".join(Role(role).label for role in roles)
            self.stdout.write(f"  {username:<18} {what}")
        self.stdout.write(f"Password for all: {password} (set DEMO_PASSWORD to change it)")
        self.stdout.write(
            "Logins that reach safeguarding, cases, DBS or payments then ask for a code: "
            "`manage.py demo_otp_code <username>` prints it (or add the demo key "
            f"{DEMO_TOTP_KEY_BASE32} to an authenticator app)."
        )
        self.stdout.write(
            f"Volunteer area: /volunteer/sign-in/ with {DEMO_VOLUNTEER_EMAIL}; "
            "the sign-in link is printed in this server's log (console email)."
        )
