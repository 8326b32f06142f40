"""Name search from the membership table, on PostgreSQL (SQLite: nothing to do).

A search has two conditions on two tables: the name (``members_person``) and the scope — the CĐCS
of the user's subtree (``members_membership``). With the name indexed on the person only, a district
officer's search read every match in the country (or walked the name order of the country) for the
5% of them in his district: 140–240 ms for "nguyen thi" at 1M members. Here:

- ``members_membership.person_search_key``: a copy of the person's folded name, **kept by triggers**
  (not a model field, so Django never writes it): set from the person on every insert and update of a
  membership, and rewritten when a person's ``search_key`` changes. Nothing in Python has to remember it.
  (A membership written before its person — possible with the deferred foreign key — is refused by
  ``NOT NULL`` rather than stored unsearchable. Loads with ``session_replication_role = replica`` skip
  triggers: ``bench/achievements_bench.py`` leaves the copy empty, it never searches names.)
- Two indexes of it: the words, ``to_tsvector('simple', ...)`` (a one-word search, "huong:*"), and the
  neighbouring word pairs, ``congdoan_name_pairs(...)`` (a phrase: "thanh hoa" → 'thanh0hoa:*'). A
  pair's list holds only the people with both words together, where a word index intersected the long
  lists of each word and re-read every row holding both ("thanh hoa": 4,894 matches among 9,369 rows
  read, ~20 ms; by pairs ~2 ms).
- PostgreSQL intersects either with the ``cdcs_id`` index (``BitmapAnd``): "nguyen thi" in a district
  reads 2,700 memberships, ~20 ms.

The word index of the person (0004) is dropped: searches read the membership's. Filling the copy
takes ~30 s at 1M memberships.
"""

from django.db import migrations

from congdoan.core.migration_sql import postgresql_only

PAIRS_FUNCTION = """
CREATE OR REPLACE FUNCTION congdoan_name_pairs(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT to_tsvector('simple'::regconfig,
    regexp_replace(name, '(\\S+) (\\S+)', '\\10\\2', 'g') || ' '
    || regexp_replace(coalesce(substring(name from ' (.*)$'), ''), '(\\S+) (\\S+)', '\\10\\2', 'g'))
$$
"""
# "nguyen thi huong" → 'nguyen0thi' 'thi0huong' (and a leftover single word): two passes pair the words
# from the first and from the second word. One SQL expression, so PostgreSQL inlines it.

COPY_ON_MEMBERSHIP = [
    """CREATE OR REPLACE FUNCTION congdoan_membership_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT search_key INTO NEW.person_search_key FROM members_person WHERE id = NEW.person_id;
      RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS membership_search_key ON members_membership",
    "CREATE TRIGGER membership_search_key BEFORE INSERT OR UPDATE ON members_membership"
    " FOR EACH ROW EXECUTE FUNCTION congdoan_membership_search_key()",
]

COPY_FROM_PERSON = [
    """CREATE OR REPLACE FUNCTION congdoan_person_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE members_membership SET person_search_key = NEW.search_key WHERE person_id = NEW.id;
      RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS person_search_key ON members_person",
    "CREATE TRIGGER person_search_key AFTER UPDATE OF search_key ON members_person"
    " FOR EACH ROW WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key)"
    " EXECUTE FUNCTION congdoan_person_search_key()",
]

FORWARD = [
    PAIRS_FUNCTION,
    "ALTER TABLE members_membership ADD COLUMN IF NOT EXISTS person_search_key varchar(200) NOT NULL DEFAULT ''",
    *COPY_ON_MEMBERSHIP,
    *COPY_FROM_PERSON,
    "UPDATE members_membership m SET person_search_key = p.search_key FROM members_person p"
    " WHERE p.id = m.person_id AND m.person_search_key <> p.search_key",
    "CREATE INDEX IF NOT EXISTS membership_name_words ON members_membership"
    " USING gin (to_tsvector('simple'::regconfig, person_search_key))",
    "CREATE INDEX IF NOT EXISTS membership_name_pairs ON members_membership"
    " USING gin (congdoan_name_pairs(person_search_key))",
    "DROP INDEX IF EXISTS person_name_words",
]

BACKWARD = [
    "CREATE INDEX IF NOT EXISTS person_name_words ON members_person"
    " USING gin (to_tsvector('simple'::regconfig, search_key))",
    "DROP TRIGGER IF EXISTS person_search_key ON members_person",
    "DROP FUNCTION IF EXISTS congdoan_person_search_key()",
    "DROP TRIGGER IF EXISTS membership_search_key ON members_membership",
    "DROP FUNCTION IF EXISTS congdoan_membership_search_key()",
    "ALTER TABLE members_membership DROP COLUMN IF EXISTS person_search_key",  # drops its indexes
    "DROP FUNCTION IF EXISTS congdoan_name_pairs(text)",
]


class Migration(migrations.Migration):
    dependencies = [("members", "0004_name_words_index")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
