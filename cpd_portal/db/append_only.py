"""The PostgreSQL triggers that keep evidence rows (credit, attempts, answers, validations,
audits, histories) from being changed or deleted below the application, written once for every
app's migrations.

PostgreSQL only: other databases (the SQLite laptop setup of `make run`) get no trigger and rely
on PROTECT foreign keys, the services and the read-only admin, as they always have. Being
operations rather than Python functions, `manage.py sqlmigrate` shows their SQL on PostgreSQL.
"""
import re

from django.db.migrations.operations.base import Operation, OperationCategory

# Names and words go into SQL text: only plain identifiers, and reasons without a quote (which
# would end the string) or a % (which RAISE reads as a placeholder).
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*\Z")
_REASON = re.compile(r"[^'%]+\Z")


class RunSQLOnPostgreSQL(Operation):
    """SQL run forwards and backwards on PostgreSQL only; other databases skip it."""

    reversible = True
    reduces_to_sql = True
    category = OperationCategory.SQL

    def __init__(self, *, sql: str, reverse_sql: str):
        self.sql = sql
        self.reverse_sql = reverse_sql

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, self.sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, self.reverse_sql)

    def describe(self) -> str:
        return "SQL run on PostgreSQL only"

    @staticmethod
    def _run(schema_editor, sql: str) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the schema editor would otherwise read RAISE's % as placeholders.
            schema_editor.execute(sql, params=None)


class AppendOnlyTriggers(RunSQLOnPostgreSQL):
    """One trigger function that refuses the change with `reason`, and a trigger per table:
    `refuse_update_or_delete` keeps rows as written (append-only), `refuse_delete` lets them
    change but never go. Both map a trigger's name to its table."""

    def __init__(self, *, function: str, reason: str,
                 refuse_update_or_delete: dict[str, str] | None = None,
                 refuse_delete: dict[str, str] | None = None):
        triggers = [(name, table, "UPDATE OR DELETE")
                    for name, table in (refuse_update_or_delete or {}).items()]
        triggers += [(name, table, "DELETE") for name, table in (refuse_delete or {}).items()]
        names = [function] + [part for name, table, _ in triggers for part in (name, table)]
        if not triggers or not all(_IDENTIFIER.match(name) for name in names) \
                or not _REASON.match(reason):
            raise ValueError(f"append-only triggers of {function}: give at least one trigger, "
                             f"plain lowercase names, and a reason without ' or %")
        refused = "changed or deleted" if refuse_update_or_delete else "deleted"
        self.triggers = triggers
        super().__init__(
            sql=_function_sql(function, f"% row % cannot be {refused}: {reason}") + "".join(
                f"CREATE TRIGGER {name} BEFORE {events} ON {table}\n"
                f"    FOR EACH ROW EXECUTE FUNCTION {function}();\n"
                for name, table, events in triggers),
            reverse_sql="".join(f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
                                for name, table, _ in triggers)
            + f"DROP FUNCTION IF EXISTS {function}();\n")

    def describe(self) -> str:
        return f"Refuse changes to {', '.join(table for _, table, _ in self.triggers)} " \
               f"on PostgreSQL"


def _function_sql(function: str, message: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$\n"
            f"BEGIN\n"
            f"    RAISE EXCEPTION '{message}',\n"
            f"        TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';\n"
            f"END;\n"
            f"$$ LANGUAGE plpgsql;\n")
