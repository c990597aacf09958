"""Seed the Massachusetts physician renewal rules (see credits.requirement_rules)."""
from django.db import migrations

from credits.requirements.rules import massachusetts_physician_rules_ensure


def seed(apps, schema_editor):
    massachusetts_physician_rules_ensure(apps.get_model("credits", "RequirementSet"),
                                         apps.get_model("credits", "TopicRequirement"),
                                         apps.get_model("courses", "Topic"))


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0005_requirements"),
        ("courses", "0003_standard_topics"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
