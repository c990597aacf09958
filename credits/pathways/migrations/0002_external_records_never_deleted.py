"""A learner's record of an external activity is the evidence behind a pathway's completion and
its credential: PostgreSQL refuses to DELETE it (other databases rely on PROTECT and the
read-only admin)."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_pathways")]
    operations = [
        AppendOnlyTriggers(
            function="pathways_refuse_delete", reason="pathway records are kept",
            refuse_delete={
                "pathways_externalsteprecord_no_delete": "pathways_externalsteprecord"}),
    ]
