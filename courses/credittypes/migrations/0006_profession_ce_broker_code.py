"""CE Broker's profession code becomes part of each profession row (it was a list in
credits/webservices/ce_broker.py), so a profession the office adds can be reported to CE Broker
without a deploy. The rows get the codes the list held, unchanged."""
from django.db import migrations, models

from courses.credittypes.reference import CE_BROKER_PROFESSION_CODES


def codes_onto_rows(apps, schema_editor):
    profession_model = apps.get_model("credittypes", "Profession")
    for code, ce_broker_code in CE_BROKER_PROFESSION_CODES.items():
        profession_model.objects.filter(code=code, ce_broker_code="").update(
            ce_broker_code=ce_broker_code)


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0005_a_row_for_every_stored_profession"),
    ]

    operations = [
        migrations.AddField(
            model_name="profession", name="ce_broker_code",
            field=models.CharField(
                blank=True, max_length=10, verbose_name="CE Broker profession code",
                help_text="The code CE Broker's rosters use for it (its 'Profession Codes' list, "
                          "which differs by state for some professions); empty: not reported to "
                          "CE Broker."),
        ),
        migrations.RunPython(codes_onto_rows, migrations.RunPython.noop),
    ]
