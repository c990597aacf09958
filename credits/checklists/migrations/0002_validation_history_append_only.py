"""Skill validations and self-assessments are the evidence behind a competency: PostgreSQL
refuses to UPDATE or DELETE them (a correction is a new entry with a reason), and refuses a
validation recorded by the learner themselves. Other databases rely on the services and the
read-only admin."""
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION checklists_history_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % cannot be changed or deleted: record a correction with a reason',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION checklists_validation_not_by_learner() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM checklists_learnerchecklist
               WHERE id = NEW.learner_checklist_id AND learner_id = NEW.validator_id) THEN
        RAISE EXCEPTION 'nobody validates their own checklist'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER checklists_skillvalidation_append_only BEFORE UPDATE OR DELETE
    ON checklists_skillvalidation FOR EACH ROW EXECUTE FUNCTION checklists_history_refuse_change();
CREATE TRIGGER checklists_selfassessment_append_only BEFORE UPDATE OR DELETE
    ON checklists_selfassessment FOR EACH ROW EXECUTE FUNCTION checklists_history_refuse_change();
CREATE TRIGGER checklists_skillvalidation_not_by_learner BEFORE INSERT
    ON checklists_skillvalidation FOR EACH ROW
    EXECUTE FUNCTION checklists_validation_not_by_learner();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS checklists_skillvalidation_not_by_learner ON checklists_skillvalidation;
DROP TRIGGER IF EXISTS checklists_selfassessment_append_only ON checklists_selfassessment;
DROP TRIGGER IF EXISTS checklists_skillvalidation_append_only ON checklists_skillvalidation;
DROP FUNCTION IF EXISTS checklists_validation_not_by_learner();
DROP FUNCTION IF EXISTS checklists_history_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_checklists")]
    operations = [migrations.RunPython(create, drop)]
