"""Topics licence boards mandate, so requirement sets and course tags share one vocabulary."""
from django.db import migrations

STANDARD_TOPICS = [
    ("risk-management", "Risk management"),
    ("opioid-pain-management", "Opioid education and pain management"),
    ("board-regulations", "Board of Registration regulations"),
    ("implicit-bias", "Implicit bias in health care"),
    ("end-of-life-care", "End-of-life care"),
    ("electronic-health-records", "Electronic health records"),
    ("patient-safety", "Patient safety"),
    ("cultural-competency", "Cultural competency"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("courses", "Topic")
    for slug, name in STANDARD_TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_course_search_gin_index")]
    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
