"""PostgreSQL: a number that changes with every change of the org units or links (``org.tree.version``).

Statement-level triggers on ``org_orgunit`` and ``org_orglink`` (every insert, update, delete or
truncate, bulk paths and COPY included) set it to the next value of a sequence. A sequence is not rolled back, so a number is
never given twice: a tree read inside a transaction that rolled back can never be taken for another.
Readers may cache what they derive from the tree under (the tree's question, this number).
SQLite has no such number (``version()`` is None there, and nothing is cached).
"""

from django.db import migrations

FORWARD = """
CREATE SEQUENCE org_tree_version_seq;
CREATE TABLE org_tree_version (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
INSERT INTO org_tree_version VALUES (1, nextval('org_tree_version_seq'));
CREATE FUNCTION org_tree_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO org_tree_version VALUES (1, nextval('org_tree_version_seq'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;
CREATE TRIGGER org_tree_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_orglink
    FOR EACH STATEMENT EXECUTE FUNCTION org_tree_changed();
CREATE TRIGGER org_tree_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_orgunit
    FOR EACH STATEMENT EXECUTE FUNCTION org_tree_changed();
"""

BACKWARD = """
DROP TRIGGER org_tree_changed ON org_orglink;
DROP TRIGGER org_tree_changed ON org_orgunit;
DROP FUNCTION org_tree_changed();
DROP TABLE org_tree_version;
DROP SEQUENCE org_tree_version_seq;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("org", "0002_unit_sort_key")]

    operations = [migrations.RunPython(forward, backward)]
