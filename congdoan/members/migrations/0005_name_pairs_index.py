"""A pair index for member search on PostgreSQL (SQLite: nothing to do).

``congdoan_name_pairs(search_key)`` is the folded name as a text-search vector of its neighbouring
word pairs, joined by "0": "nguyen thi huong" → 'nguyen0thi' 'thi0huong' (plus a leftover single
word). ``selectors.WordsStart`` finds a phrase of several words by its pairs ("thanh hoa" →
'thanh0hoa:*'): the list of a pair holds only the people with both words together, where the word
index of 0004 intersected the long lists of each word and re-read every row holding both
(at 1M members "thanh hoa": 4,894 matches among 9,369 rows read, ~20 ms; by pairs ~2 ms).

Two ``regexp_replace`` passes pair the words from the first and from the second word; the function
is one SQL expression, so PostgreSQL inlines it (7 s to index 1M names).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION congdoan_name_pairs(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT to_tsvector('simple'::regconfig,
    regexp_replace(name, '(\\S+) (\\S+)', '\\10\\2', 'g') || ' '
    || regexp_replace(coalesce(substring(name from ' (.*)$'), ''), '(\\S+) (\\S+)', '\\10\\2', 'g'))
$$
"""
INDEX = "person_name_pairs"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_person USING gin (congdoan_name_pairs(search_key))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS congdoan_name_pairs(text)")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_name_words_index")]
    operations = [migrations.RunPython(create, drop)]
