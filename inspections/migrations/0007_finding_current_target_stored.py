"""Each finding's target in force, stored and indexed: the newest revision's date, else
HMICFRS's due date (Finding.save and TargetRevision.save keep it from now on)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Finding = apps.get_model("inspections", "Finding")
    TargetRevision = apps.get_model("inspections", "TargetRevision")
    latest = TargetRevision.objects.filter(finding=OuterRef("pk")).order_by("-created_at", "-pk")
    Finding.objects.update(
        current_target=Coalesce(Subquery(latest.values("revised_date")[:1]), "due_date")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0006_deadline_queue_stored'),
    ]

    operations = [
        migrations.AddField(
            model_name='finding',
            name='current_target',
            field=models.DateField(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
