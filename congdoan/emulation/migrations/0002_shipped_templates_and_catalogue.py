"""The shipped scoring schemes (1294/HD-TLĐ 40/40/15 + 5 for CĐCS and for district federations; the
pre-2019 85/70/50 scheme) and the emulation indicators in the catalogue."""

from django.db import migrations


def forwards(apps, schema_editor):
    from congdoan.emulation.catalogue import load_catalogue
    from congdoan.emulation.schemes import load_templates

    load_templates(apps.get_model("emulation", "SheetTemplate"), apps.get_model("emulation", "Criterion"))
    load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [
        ("emulation", "0001_initial"),
        ("indicators", "0003_leaf_figures"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
