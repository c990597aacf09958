"""SCORM commits are the evidence behind a completion: PostgreSQL refuses to UPDATE or DELETE
them, and to DELETE attempts (other databases rely on PROTECT and the read-only admin)."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION scorm_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be changed or deleted: SCORM records are kept',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER scorm_scocommit_append_only BEFORE UPDATE OR DELETE ON scorm_scocommit
    FOR EACH ROW EXECUTE FUNCTION scorm_refuse_change();
CREATE TRIGGER scorm_scoattempt_no_delete BEFORE DELETE ON scorm_scoattempt
    FOR EACH ROW EXECUTE FUNCTION scorm_refuse_change();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS scorm_scocommit_append_only ON scorm_scocommit;
DROP TRIGGER IF EXISTS scorm_scoattempt_no_delete ON scorm_scoattempt;
DROP FUNCTION IF EXISTS scorm_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("scorm", "0001_attempts_and_commits")]
    operations = [migrations.RunPython(create, drop)]
