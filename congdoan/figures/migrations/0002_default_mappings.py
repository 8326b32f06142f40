"""Ship the default phrases of the figure checker (figures/mappings.py); administrators edit them."""

from django.db import migrations


def load(apps, schema_editor):
    from congdoan.figures.mappings import DEFAULTS

    Indicator = apps.get_model("indicators", "Indicator")
    FigureMapping = apps.get_model("figures", "FigureMapping")
    by_code = {i.code: i for i in Indicator.objects.filter(code__in={code for _, code, _ in DEFAULTS})}
    for phrase, code, kind in DEFAULTS:
        if code in by_code:  # an administrator may have removed an indicator of the standard catalogue
            FigureMapping.objects.get_or_create(phrase=phrase, kind=kind, defaults={"indicator": by_code[code]})


class Migration(migrations.Migration):
    dependencies = [("figures", "0001_initial"), ("indicators", "0002_standard_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
