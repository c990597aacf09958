"""Post-test attempts and answers are evidence behind credit: PostgreSQL refuses to DELETE them
(other databases rely on PROTECT and the read-only admin)."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("online", "0001_progress_attempts_and_grants")]
    operations = [
        AppendOnlyTriggers(
            function="online_refuse_delete", reason="attempts and answers are kept",
            refuse_delete={"online_posttestattempt_no_delete": "online_posttestattempt",
                           "online_attemptanswer_no_delete": "online_attemptanswer"}),
    ]
