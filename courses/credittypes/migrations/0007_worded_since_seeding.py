"""Types seeded without a statement whose accreditor's wording has since been found (see
reference.py and docs/credit-types.md): an installation whose office has not touched the row
(still no statement, still not designable) gets the wording, its source and "designable". A row
the office has edited in any of those is left as it is."""
from django.db import migrations

from courses.credittypes.reference import REFERENCE_CREDIT_TYPES

WORDED_SINCE_SEEDING = ["abp_moc"]


def wording_for_untouched_rows(apps, schema_editor):
    credit_type_model = apps.get_model("credittypes", "CreditType")
    reference = {fields["code"]: fields for fields in REFERENCE_CREDIT_TYPES}
    for code in WORDED_SINCE_SEEDING:
        fields = reference[code]
        credit_type_model.objects.filter(code=code, statement="", is_active=False).update(
            statement=fields["statement"], is_active=True, source_url=fields["source_url"],
            source_note=fields["source_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0006_profession_ce_broker_code"),
    ]

    operations = [migrations.RunPython(wording_for_untouched_rows, migrations.RunPython.noop)]
