"""The recommendation indicators enter the standard catalogue (recommendations/catalogue.py)."""

from django.db import migrations


def catalogue(apps, schema_editor):
    from congdoan.recommendations.catalogue import load_catalogue

    load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial"), ("indicators", "0002_standard_catalogue")]
    operations = [migrations.RunPython(catalogue, migrations.RunPython.noop)]
