"""Each stage change records when its stay ended (the next move), for the funnel's time in stage."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery


def fill_left_at(apps, schema_editor):
    # As members.stays.update_stays does, written out here so the migration keeps working whatever it becomes.
    Change = apps.get_model("members", "ApplicationStageChange")
    later = (
        Change.objects.filter(application_id=OuterRef("application_id"))
        .exclude(to_stage=F("from_stage"))
        .filter(
            Q(changed_at__gt=OuterRef("changed_at"))
            | Q(changed_at=OuterRef("changed_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("changed_at", "pk")
        .values("changed_at")[:1]
    )
    Change.objects.exclude(to_stage=F("from_stage")).update(left_at=Subquery(later))


class Migration(migrations.Migration):
    dependencies = [("members", "0009_membership_scope_index")]

    operations = [
        migrations.AddField(
            model_name="applicationstagechange",
            name="left_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_left_at, migrations.RunPython.noop, elidable=True),
    ]
