"""A PostgreSQL trigger that keeps the credit ledger append-only below the application.

DELETE is refused outright; UPDATE may void a record (status, reason, actor, time) but may not
change whose credit it is, for which activity, of which type or how much, nor bring a voided
record back. Amounts change by voiding and recording anew, so the audit trail stays whole.
Other databases (the SQLite laptop setup) rely on the model and admin guards alone.
"""
from django.db import migrations

from cpd_portal.db.append_only import RunSQLOnPostgreSQL

CREATE_SQL = """
CREATE OR REPLACE FUNCTION credits_creditrecord_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'credit record % cannot be deleted; void it instead', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.user_id IS DISTINCT FROM OLD.user_id
       OR NEW.course_id IS DISTINCT FROM OLD.course_id
       OR NEW.external_activity_id IS DISTINCT FROM OLD.external_activity_id
       OR NEW.credit_type IS DISTINCT FROM OLD.credit_type
       OR NEW.amount IS DISTINCT FROM OLD.amount THEN
        RAISE EXCEPTION 'credit record % cannot change learner, activity, type or amount; '
                        'void it and record a new one', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status = 'voided' AND NEW.status <> 'voided' THEN
        RAISE EXCEPTION 'credit record % is voided and cannot be restored', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER credits_creditrecord_no_delete
    BEFORE DELETE ON credits_creditrecord
    FOR EACH ROW EXECUTE FUNCTION credits_creditrecord_guard();
CREATE TRIGGER credits_creditrecord_guard_update
    BEFORE UPDATE ON credits_creditrecord
    FOR EACH ROW EXECUTE FUNCTION credits_creditrecord_guard();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS credits_creditrecord_guard_update ON credits_creditrecord;
DROP TRIGGER IF EXISTS credits_creditrecord_no_delete ON credits_creditrecord;
DROP FUNCTION IF EXISTS credits_creditrecord_guard();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("credits", "0002_evaluations"),
    ]

    operations = [
        RunSQLOnPostgreSQL(sql=CREATE_SQL, reverse_sql=DROP_SQL),
    ]
