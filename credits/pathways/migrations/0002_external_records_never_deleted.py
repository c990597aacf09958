"""A learner's record of an external activity is the evidence behind a pathway's completion and
its credential: PostgreSQL refuses to DELETE it (other databases rely on PROTECT and the
read-only admin)."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION pathways_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be deleted: pathway records are kept',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pathways_externalsteprecord_no_delete BEFORE DELETE
    ON pathways_externalsteprecord FOR EACH ROW EXECUTE FUNCTION pathways_refuse_delete();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS pathways_externalsteprecord_no_delete ON pathways_externalsteprecord;
DROP FUNCTION IF EXISTS pathways_refuse_delete();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_pathways")]
    operations = [migrations.RunPython(create, drop)]
