"""Word-start name search on PostgreSQL (``selectors._name_search``).

- A trigram index on the folded name without its given name (``selectors.OtherWords``): tells
  cheaply whether a typed phrase matches before the given name, and how often.
- Finer statistics on ``sort_key`` (1,000 histogram buckets instead of 100): the planner estimates
  the ``sort_key`` range of one given name (~2% of the people) from them.

SQLite has neither; nothing to do there.
"""

from django.db import migrations

OTHER_WORDS = "substring(' ' || search_key from '^(.*) ')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS person_other_words_trgm ON members_person USING gin (({OTHER_WORDS}) gin_trgm_ops)"
    )
    schema_editor.execute("ALTER TABLE members_person ALTER COLUMN sort_key SET STATISTICS 1000")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_other_words_trgm")
    schema_editor.execute("ALTER TABLE members_person ALTER COLUMN sort_key SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
