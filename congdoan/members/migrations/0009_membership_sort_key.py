"""The person's sort key copied on the membership too (PostgreSQL; SQLite: nothing to do).

A search with few matches is sorted from them (``selectors._name_search``): with the name order only
on the person, every match's person was read to sort, though a page shows 25 ("thanh hoa" in a city
of 1M members: 4,854 memberships by id, then 4,854 people by id, ~40 ms). Now the matches are read
once from the membership's name indexes together with ``person_sort_key`` and sorted there.

Kept like ``person_search_key`` (members/0005) by the same two triggers, which now copy both keys:
set from the person on every insert and update of a membership, rewritten when the person's search or
sort key changes. Not a model field: Django never writes it. ~60 bytes a membership (the membership
table grows from ~107 to ~175 MB per million); filling it rewrites every membership (~1 min at 1M).
"""

from importlib import import_module

from django.db import migrations

from congdoan.core.migration_sql import postgresql_only

COPY_ON_MEMBERSHIP = """
CREATE OR REPLACE FUNCTION congdoan_membership_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT search_key, sort_key INTO NEW.person_search_key, NEW.person_sort_key
    FROM members_person WHERE id = NEW.person_id;
  RETURN NEW;
END $$"""

COPY_FROM_PERSON = [
    """CREATE OR REPLACE FUNCTION congdoan_person_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE members_membership SET person_search_key = NEW.search_key, person_sort_key = NEW.sort_key
        WHERE person_id = NEW.id;
      RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS person_search_key ON members_person",
    "CREATE TRIGGER person_search_key AFTER UPDATE OF search_key, sort_key ON members_person"
    " FOR EACH ROW WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key"
    " OR OLD.sort_key IS DISTINCT FROM NEW.sort_key)"
    " EXECUTE FUNCTION congdoan_person_search_key()",
]

FORWARD = [
    # NOT NULL: a membership written before its person (deferred foreign key) is refused, as in 0005.
    "ALTER TABLE members_membership ADD COLUMN IF NOT EXISTS person_sort_key varchar(200) NOT NULL DEFAULT ''",
    COPY_ON_MEMBERSHIP,
    *COPY_FROM_PERSON,
    "UPDATE members_membership m SET person_sort_key = p.sort_key FROM members_person p"
    " WHERE p.id = m.person_id AND m.person_sort_key <> p.sort_key",
]

# Back to the two triggers as members/0005 made them (the search key only), then the column dropped.
_SEARCH_KEY_ONLY = import_module("congdoan.members.migrations.0005_membership_name_search")
BACKWARD = [
    *_SEARCH_KEY_ONLY.COPY_ON_MEMBERSHIP,
    *_SEARCH_KEY_ONLY.COPY_FROM_PERSON,
    "ALTER TABLE members_membership DROP COLUMN IF EXISTS person_sort_key",
]


class Migration(migrations.Migration):
    dependencies = [("members", "0008_person_order_covers_name")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
