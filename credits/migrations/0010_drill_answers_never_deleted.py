"""Drill deliveries and answers are the evidence behind a drill's completion and its credit:
PostgreSQL refuses to DELETE them (other databases rely on PROTECT and the read-only admin)."""
from django.db import migrations

from cpd_portal.db.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("credits", "0009_practice_drills")]
    operations = [
        AppendOnlyTriggers(
            function="drills_refuse_delete", reason="drill deliveries and answers are kept",
            refuse_delete={"credits_drilldelivery_no_delete": "credits_drilldelivery",
                           "credits_drillanswer_no_delete": "credits_drillanswer"}),
    ]
