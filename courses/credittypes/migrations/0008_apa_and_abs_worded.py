"""APA CE and ABS MOC, seeded without a statement, now have their accreditor's wording
(reference.py and docs/credit-types.md name the sources): as in 0007, a row the office has not
touched (still no statement, still not designable) gets the wording, its source and
"designable"; a row the office has edited is left as it is."""
from django.db import migrations

from courses.credittypes.reference import reference_wording_fill_untouched

WORDED_SINCE_SEEDING = ["apa_ce", "abs_moc"]


def wording_for_untouched_rows(apps, schema_editor):
    reference_wording_fill_untouched(apps.get_model("credittypes", "CreditType"),
                                     WORDED_SINCE_SEEDING)


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0007_worded_since_seeding"),
    ]

    operations = [migrations.RunPython(wording_for_untouched_rows, migrations.RunPython.noop)]
