"""The care indicators by funding source (CL_TIEN_CD, CL_TIEN_XHH, CL_TIEN_DN; care/catalogue.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from congdoan.care.catalogue import CARE_INDICATORS, SORT_FROM

    Indicator = apps.get_model("indicators", "Indicator")
    for i, (code, name, unit, provider) in enumerate(CARE_INDICATORS):
        Indicator.objects.update_or_create(
            code=code,
            defaults=dict(name=name, unit=unit, aggregation="sum", source="computed", provider=provider,
                          decimals=0, standard=True, sort_order=SORT_FROM + i * 10),
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0002_care_indicators")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
