"""Skill validations and self-assessments are the evidence behind a competency: PostgreSQL
refuses to UPDATE or DELETE them (a correction is a new entry with a reason), and refuses a
validation recorded by the learner themselves. Other databases rely on the services and the
read-only admin."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers, RunSQLOnPostgreSQL

NOT_BY_LEARNER_SQL = """
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
CREATE TRIGGER checklists_skillvalidation_not_by_learner BEFORE INSERT
    ON checklists_skillvalidation FOR EACH ROW
    EXECUTE FUNCTION checklists_validation_not_by_learner();
"""
NOT_BY_LEARNER_DROP_SQL = """
DROP TRIGGER IF EXISTS checklists_skillvalidation_not_by_learner ON checklists_skillvalidation;
DROP FUNCTION IF EXISTS checklists_validation_not_by_learner();
"""


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_checklists")]
    operations = [
        AppendOnlyTriggers(
            function="checklists_history_refuse_change",
            reason="record a correction with a reason",
            refuse_update_or_delete={
                "checklists_skillvalidation_append_only": "checklists_skillvalidation",
                "checklists_selfassessment_append_only": "checklists_selfassessment"}),
        RunSQLOnPostgreSQL(sql=NOT_BY_LEARNER_SQL, reverse_sql=NOT_BY_LEARNER_DROP_SQL),
    ]
