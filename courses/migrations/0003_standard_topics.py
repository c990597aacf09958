"""Topics licence boards mandate, so requirement sets and course tags share one vocabulary."""
from django.db import migrations

from courses.topics import standard_topics_ensure


def create_topics(apps, schema_editor):
    standard_topics_ensure(apps.get_model("courses", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_course_search_gin_index")]
    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
