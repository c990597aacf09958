"""SCORM commits are the evidence behind a completion: PostgreSQL refuses to UPDATE or DELETE
them, and to DELETE attempts (other databases rely on PROTECT and the read-only admin)."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("scorm", "0001_attempts_and_commits")]
    operations = [
        AppendOnlyTriggers(
            function="scorm_refuse_change", reason="SCORM records are kept",
            refuse_update_or_delete={"scorm_scocommit_append_only": "scorm_scocommit"},
            refuse_delete={"scorm_scoattempt_no_delete": "scorm_scoattempt"}),
    ]
