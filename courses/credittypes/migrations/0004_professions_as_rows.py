"""Professions become rows, and who may claim a credit type the one relation between them: the
codes each type held in a list move to the relation, unchanged (decision 0021)."""
from django.db import migrations, models

from courses.credittypes.reference import reference_professions_ensure


def professions_from_codes(apps, schema_editor):
    profession_model = apps.get_model("credittypes", "Profession")
    reference_professions_ensure(profession_model)
    for credit_type in apps.get_model("credittypes", "CreditType").objects.all():
        rows = []
        for code in credit_type.eligible_profession_codes or []:
            # A code no profile offers still gets a row, so nobody loses a claim.
            row, _ = profession_model.objects.get_or_create(code=code, defaults={"name": code})
            rows.append(row)
        credit_type.eligible_professions.set(rows)


def codes_from_professions(apps, schema_editor):
    for credit_type in apps.get_model("credittypes", "CreditType").objects.all():
        credit_type.eligible_profession_codes = sorted(
            credit_type.eligible_professions.values_list("code", flat=True))
        credit_type.save(update_fields=["eligible_profession_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("credittypes", "0003_credit_type_history_kept"),
    ]

    operations = [
        migrations.CreateModel(
            name="Profession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("code", models.SlugField(help_text="Stored on profiles and licences; fixed "
                                                    "once saved.", max_length=30, unique=True)),
                ("name", models.CharField(max_length=100)),
                ("position", models.PositiveSmallIntegerField(default=100)),
            ],
            options={"ordering": ["position", "name"]},
        ),
        migrations.RenameField("credittype", "eligible_professions", "eligible_profession_codes"),
        migrations.AddField(
            model_name="credittype", name="eligible_professions",
            field=models.ManyToManyField(blank=True, help_text="The professions who may claim it.",
                                         related_name="credit_types",
                                         to="credittypes.profession"),
        ),
        migrations.RunPython(professions_from_codes, codes_from_professions),
        migrations.RemoveField("credittype", "eligible_profession_codes"),
    ]
