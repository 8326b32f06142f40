"""The inspection indicators of the standard catalogue (catalogue.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from congdoan.inspections.catalogue import SORT_FROM, indicators

    Indicator = apps.get_model("indicators", "Indicator")
    for i, (code, name, unit, provider) in enumerate(indicators()):
        Indicator.objects.update_or_create(
            code=code,
            defaults=dict(name=name, unit=unit, aggregation="sum", source="computed", provider=provider,
                          decimals=0, standard=True, sort_order=SORT_FROM + i * 10),
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("indicators", "0002_standard_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
