"""Ship the standard catalogue of a city federation (indicators/catalogue.py) and its report form."""

from django.db import migrations


def load(apps, schema_editor):
    from congdoan.indicators.catalogue import STANDARD, STANDARD_FORM

    Indicator = apps.get_model("indicators", "Indicator")
    ReportForm = apps.get_model("indicators", "ReportForm")
    by_code = {}
    # The catalogue lists a ratio after its numerator and denominator.
    for order, (code, name, unit, agg, source, provider, num, den, decimals) in enumerate(STANDARD):
        by_code[code], _ = Indicator.objects.update_or_create(
            code=code,
            defaults=dict(name=name, unit=unit, aggregation=agg, source=source, provider=provider,
                          decimals=decimals, standard=True, sort_order=order * 10,
                          numerator=by_code.get(num), denominator=by_code.get(den)),
        )
    form_code, form_name, kind, codes = STANDARD_FORM
    form, _ = ReportForm.objects.update_or_create(code=form_code, defaults=dict(name=form_name, period_kind=kind))
    form.indicators.set([by_code[c] for c in codes])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
