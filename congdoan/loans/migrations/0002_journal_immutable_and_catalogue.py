"""Posted journal lines cannot be changed: the database refuses an UPDATE (a correction is a reversing
entry). And the loan indicators enter the catalogue."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER loans_journalline_no_update BEFORE UPDATE ON loans_journalline
BEGIN SELECT RAISE(ABORT, 'posted journal lines are immutable'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS loans_journalline_no_update;"
PG_UP = """
CREATE OR REPLACE FUNCTION loans_journalline_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'posted journal lines are immutable'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER loans_journalline_no_update BEFORE UPDATE ON loans_journalline
FOR EACH ROW EXECUTE FUNCTION loans_journalline_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS loans_journalline_no_update ON loans_journalline;
DROP FUNCTION IF EXISTS loans_journalline_immutable();
"""


def trigger_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def trigger_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


def catalogue(apps, schema_editor):
    from congdoan.loans.catalogue import load_catalogue

    load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial"), ("indicators", "0002_standard_catalogue")]
    operations = [
        migrations.RunPython(trigger_up, trigger_down),
        migrations.RunPython(catalogue, migrations.RunPython.noop),
    ]
