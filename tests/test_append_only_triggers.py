"""The append-only triggers of every app come from one place (cpd_portal/db/append_only.py):
each one a migration declares is installed, and a declaration that would write broken SQL is
refused when the migration is loaded."""
import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cpd_portal.db.append_only import AppendOnlyTriggers


@pytest.mark.django_db
def test_every_append_only_trigger_a_migration_declares_is_installed_on_its_table():
    declared = {(name, table, events)
                for migration in MigrationLoader(connection).disk_migrations.values()
                for operation in migration.operations
                if isinstance(operation, AppendOnlyTriggers)
                for name, table, events in operation.triggers}
    with connection.cursor() as cursor:
        # tgtype bits: 8 DELETE, 16 UPDATE (a BEFORE ... FOR EACH ROW trigger also has 1 and 2).
        cursor.execute("SELECT tgname, tgrelid::regclass::text, tgtype & 24 FROM pg_trigger "
                       "WHERE NOT tgisinternal")
        installed = {(name, table, {8: "DELETE", 24: "UPDATE OR DELETE"}.get(events))
                     for name, table, events in cursor.fetchall()}
    assert len(declared) >= 14  # every app's: checklists, cmi5, credit types, drills, ...
    assert declared <= installed


@pytest.mark.parametrize("declaration", [
    {"reason": "the learner's record is kept", "refuse_delete": {"t_no_delete": "t"}},
    {"reason": "100% kept", "refuse_delete": {"t_no_delete": "t"}},
    {"reason": "kept", "refuse_delete": {"t_no_delete": "t; DROP TABLE t"}},
    {"reason": "kept"},
])
def test_a_declaration_that_would_write_broken_sql_is_refused(declaration):
    with pytest.raises(ValueError, match="append-only triggers of f_refuse"):
        AppendOnlyTriggers(function="f_refuse", **declaration)
