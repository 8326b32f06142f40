"""Trigram indexes for substring search on PostgreSQL (name without accents, CCCD, phone, card).

SQLite has no trigram index; there the folded ``search_key`` column and prefix lookups are used.
"""

from django.db import migrations

INDEXES = [
    ("person_search_key_trgm", "members_person", "search_key"),
    ("person_cccd_trgm", "members_person", "cccd"),
    ("person_phone_trgm", "members_person", "phone"),
    ("membership_card_trgm", "members_membership", "card_number"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
