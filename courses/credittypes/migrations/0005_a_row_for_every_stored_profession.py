"""Profiles and licences now offer the office's profession rows (accounts 0007), so every code a
user or licence holds gets a row if it has none: nobody's profession changes or stops being
offered. A code the built-in list never had is named by its code until the office renames it."""
from django.db import migrations


def rows_for_stored_codes(apps, schema_editor):
    profession_model = apps.get_model("credittypes", "Profession")
    stored = set(apps.get_model("accounts", "User").objects.values_list("profession", flat=True))
    stored |= set(apps.get_model("accounts", "Licence").objects.values_list("profession",
                                                                           flat=True))
    known = set(profession_model.objects.values_list("code", flat=True))
    profession_model.objects.bulk_create([profession_model(code=code, name=code)
                                          for code in sorted(stored - known) if code])


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0004_professions_as_rows"),
        ("accounts", "0007_profession_offered_from_the_office_rows"),
    ]

    operations = [migrations.RunPython(rows_for_stored_codes, migrations.RunPython.noop)]
