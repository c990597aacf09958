"""Types seeded without a statement whose accreditor's wording has since been found (see
reference.py and docs/credit-types.md): an installation whose office has not touched the row
(still no statement, still not designable) gets the wording, its source and "designable". A row
the office has edited in any of those is left as it is."""
from django.db import migrations

from courses.credittypes.reference import reference_wording_fill_untouched

WORDED_SINCE_SEEDING = ["abp_moc"]


def wording_for_untouched_rows(apps, schema_editor):
    reference_wording_fill_untouched(apps.get_model("credittypes", "CreditType"),
                                     WORDED_SINCE_SEEDING)


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0006_profession_ce_broker_code"),
    ]

    operations = [migrations.RunPython(wording_for_untouched_rows, migrations.RunPython.noop)]
