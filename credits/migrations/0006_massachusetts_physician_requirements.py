"""Seed the Massachusetts physician renewal rules (credits.requirements.rules), with the fields
the requirement set had then; migration 0019 adds the other reference sets."""
from decimal import Decimal

from django.db import migrations

from courses.topics import STANDARD_TOPICS
from credits.requirements.rules import MASSACHUSETTS_PHYSICIANS


def seed(apps, schema_editor):
    requirement_set_model = apps.get_model("credits", "RequirementSet")
    if requirement_set_model.objects.filter(state="MA", profession="physician").exists():
        return
    rules = MASSACHUSETTS_PHYSICIANS
    requirement_set = requirement_set_model.objects.create(
        state="MA", profession="physician", is_active=True, name=rules["name"],
        cycle_months=rules["cycle_months"], total_credits=Decimal(rules["total_credits"]),
        accepted_credit_types=rules["accepted_credit_types"], source_note=rules["source_note"],
        source_url=rules["source_url"])
    topic_names = dict(STANDARD_TOPICS)
    for slug, minimum, one_time in rules["topics"]:
        topic, _ = apps.get_model("courses", "Topic").objects.get_or_create(
            slug=slug, defaults={"name": topic_names[slug]})
        apps.get_model("credits", "TopicRequirement").objects.create(
            requirement_set=requirement_set, topic=topic, minimum_credits=Decimal(minimum),
            one_time=one_time)


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0005_requirements"),
        ("courses", "0003_standard_topics"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
