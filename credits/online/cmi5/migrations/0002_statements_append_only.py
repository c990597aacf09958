"""xAPI statements are the evidence behind a cmi5 completion: PostgreSQL refuses to UPDATE or
DELETE them, and to DELETE registrations and sessions (other databases rely on PROTECT and the
read-only admin)."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION cmi5_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be changed or deleted: cmi5 records are kept',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cmi5_statement_append_only BEFORE UPDATE OR DELETE ON cmi5_statement
    FOR EACH ROW EXECUTE FUNCTION cmi5_refuse_change();
CREATE TRIGGER cmi5_registration_no_delete BEFORE DELETE ON cmi5_registration
    FOR EACH ROW EXECUTE FUNCTION cmi5_refuse_change();
CREATE TRIGGER cmi5_ausession_no_delete BEFORE DELETE ON cmi5_ausession
    FOR EACH ROW EXECUTE FUNCTION cmi5_refuse_change();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS cmi5_statement_append_only ON cmi5_statement;
DROP TRIGGER IF EXISTS cmi5_registration_no_delete ON cmi5_registration;
DROP TRIGGER IF EXISTS cmi5_ausession_no_delete ON cmi5_ausession;
DROP FUNCTION IF EXISTS cmi5_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("cmi5", "0001_registrations_sessions_statements")]
    operations = [migrations.RunPython(create, drop)]
