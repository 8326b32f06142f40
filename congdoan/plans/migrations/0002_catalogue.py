"""The key-task indicators enter the standard catalogue (plans/catalogue.py)."""

from django.db import migrations


def catalogue(apps, schema_editor):
    from congdoan.plans.catalogue import load_catalogue

    load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("indicators", "0002_standard_catalogue")]
    operations = [migrations.RunPython(catalogue, migrations.RunPython.noop)]
