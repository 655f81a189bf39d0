"""Default rates, as data: NHS England PPV involvement payments (75.00 a half day of 4
hours or less, 150.00 a day) and HMRC's approved mileage rate for cars (45p a mile).
The host adds a row with a later effective date when a rate changes."""

import datetime
from decimal import Decimal

from django.db import migrations


def add_default_rates(apps, schema_editor):
    InvolvementRate = apps.get_model("workplans", "InvolvementRate")
    MileageRate = apps.get_model("workplans", "MileageRate")
    InvolvementRate.objects.get_or_create(
        effective_from=datetime.date(2017, 7, 1),
        defaults={"half_day": Decimal("75.00"), "full_day": Decimal("150.00")},
    )
    MileageRate.objects.get_or_create(
        effective_from=datetime.date(2011, 4, 6), defaults={"pence_per_mile": Decimal("45.0")}
    )


class Migration(migrations.Migration):
    dependencies = [("workplans", "0001_workplans_money_activities")]

    operations = [migrations.RunPython(add_default_rates, migrations.RunPython.noop)]
