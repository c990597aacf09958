"""Credit types become rows: the seven the portal knew as code (same codes, units and wording),
the other Joint Accreditation types and the CME for MOC boards (not designable until worded).
Designations, credit records and external activities keep their stored code: no amount or type
changes. A code found in them that the reference does not know gets a row of its own."""
from django.db import migrations

from courses.credittypes.reference import reference_credit_types_ensure


def forwards(apps, schema_editor):
    credit_type = apps.get_model("credittypes", "CreditType")
    reference_credit_types_ensure(credit_type)
    stored = set()
    for model, app in (("CreditDesignation", "courses"), ("CreditRecord", "credits"),
                       ("ExternalActivity", "credits")):
        stored |= set(apps.get_model(app, model).objects.values_list("credit_type", flat=True))
    known = set(credit_type.objects.values_list("code", flat=True))
    for code in sorted(stored - known):
        credit_type.objects.create(code=code, name=code, unit_singular=code, unit_plural=code,
                                   open_to_whole_team=True, is_active=False,
                                   source_note="Found on stored credit when credit types "
                                               "became data; word it before designating it.")


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0001_credit_types_as_data"),
        ("courses", "0011_catalog_open_index"),
        ("credits", "0015_change_and_evaluation_times_given_by_services"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
