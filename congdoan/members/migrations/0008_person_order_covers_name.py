"""The name order's index covers the search key (PostgreSQL; SQLite: nothing to do).

``person_sort_key_id_idx`` (sort key, id) is rebuilt with ``INCLUDE (search_key)``: a walk of the name
order (``selectors.WALK``) tests each person's name from the index alone — an index-only scan — and
reads a person row only for the memberships it keeps. Before, every person passed over was read from
the table: "nguyen van" in a city of 1M members passed over 29,000 people for a first page of 50
(~100–140 ms, 13,000 pages read); index-only ~12 ms. The model still declares the index on its two
key columns (the included column is PostgreSQL's only: SQLite has no covering indexes, and Django's
check warns of them there); its name is unchanged, so the model's state is too. ~10 s at 1M people;
the index grows from ~60 to ~115 MB per million people.
"""

from django.db import migrations

from congdoan.core.migration_sql import postgresql_only

FORWARD = [
    "DROP INDEX IF EXISTS person_sort_key_id_idx",
    "CREATE INDEX person_sort_key_id_idx ON members_person (sort_key, id) INCLUDE (search_key)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_sort_key_id_idx",
    "CREATE INDEX person_sort_key_id_idx ON members_person (sort_key, id)",
]


class Migration(migrations.Migration):
    dependencies = [("members", "0007_person_union_join_date")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
