"""A credit type's history is what an auditor reads to say what a certificate's wording was:
PostgreSQL refuses to UPDATE or DELETE its rows (other databases rely on PROTECT and the
read-only admin)."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("credittypes", "0002_seed_reference_credit_types")]
    operations = [
        AppendOnlyTriggers(
            function="credittypes_history_kept", reason="credit type history is kept",
            refuse_update_or_delete={
                "credittypes_credittypechange_kept": "credittypes_credittypechange"}),
    ]
