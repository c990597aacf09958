"""xAPI statements are the evidence behind a cmi5 completion: PostgreSQL refuses to UPDATE or
DELETE them, and to DELETE registrations and sessions (other databases rely on PROTECT and the
read-only admin)."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("cmi5", "0001_registrations_sessions_statements")]
    operations = [
        AppendOnlyTriggers(
            function="cmi5_refuse_change", reason="cmi5 records are kept",
            refuse_update_or_delete={"cmi5_statement_append_only": "cmi5_statement"},
            refuse_delete={"cmi5_registration_no_delete": "cmi5_registration",
                           "cmi5_ausession_no_delete": "cmi5_ausession"}),
    ]
