"""Post-test attempts and answers are evidence behind credit: PostgreSQL refuses to DELETE them
(other databases rely on PROTECT and the read-only admin)."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION online_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be deleted: attempts and answers are kept', TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER online_posttestattempt_no_delete BEFORE DELETE ON online_posttestattempt
    FOR EACH ROW EXECUTE FUNCTION online_refuse_delete();
CREATE TRIGGER online_attemptanswer_no_delete BEFORE DELETE ON online_attemptanswer
    FOR EACH ROW EXECUTE FUNCTION online_refuse_delete();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS online_posttestattempt_no_delete ON online_posttestattempt;
DROP TRIGGER IF EXISTS online_attemptanswer_no_delete ON online_attemptanswer;
DROP FUNCTION IF EXISTS online_refuse_delete();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("online", "0001_progress_attempts_and_grants")]
    operations = [migrations.RunPython(create, drop)]
