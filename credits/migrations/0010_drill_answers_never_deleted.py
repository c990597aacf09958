"""Drill deliveries and answers are the evidence behind a drill's completion and its credit:
PostgreSQL refuses to DELETE them (other databases rely on PROTECT and the read-only admin)."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION drills_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be deleted: drill deliveries and answers are kept',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER credits_drilldelivery_no_delete BEFORE DELETE ON credits_drilldelivery
    FOR EACH ROW EXECUTE FUNCTION drills_refuse_delete();
CREATE TRIGGER credits_drillanswer_no_delete BEFORE DELETE ON credits_drillanswer
    FOR EACH ROW EXECUTE FUNCTION drills_refuse_delete();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS credits_drilldelivery_no_delete ON credits_drilldelivery;
DROP TRIGGER IF EXISTS credits_drillanswer_no_delete ON credits_drillanswer;
DROP FUNCTION IF EXISTS drills_refuse_delete();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("credits", "0009_practice_drills")]
    operations = [migrations.RunPython(create, drop)]
