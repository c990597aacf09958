"""A credit type's history is what an auditor reads to say what a certificate's wording was:
PostgreSQL refuses to UPDATE or DELETE its rows (other databases rely on PROTECT and the
read-only admin)."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION credittypes_history_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be changed or deleted: credit type history is kept',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER credittypes_credittypechange_kept BEFORE UPDATE OR DELETE
    ON credittypes_credittypechange FOR EACH ROW EXECUTE FUNCTION credittypes_history_kept();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS credittypes_credittypechange_kept ON credittypes_credittypechange;
DROP FUNCTION IF EXISTS credittypes_history_kept();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("credittypes", "0002_seed_reference_credit_types")]
    operations = [migrations.RunPython(create, drop)]
