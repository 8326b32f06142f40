"""Stored Vietnamese sort key of unit names, filled for the units already there."""

from django.db import migrations, models

from congdoan.core.text import vi_sort_key


def fill(apps, schema_editor):
    OrgUnit = apps.get_model("org", "OrgUnit")
    batch = []
    for unit in OrgUnit.objects.only("pk", "name").iterator(chunk_size=5000):
        unit.sort_key = vi_sort_key(unit.name)
        batch.append(unit)
        if len(batch) == 5000:
            OrgUnit.objects.bulk_update(batch, ["sort_key"])
            batch = []
    OrgUnit.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=1024),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
