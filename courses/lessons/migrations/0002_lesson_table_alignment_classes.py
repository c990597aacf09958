from django.db import migrations

from courses.lessons.markdown import render_lesson_markdown


def rerender_lessons(apps, schema_editor):
    # Table alignment used to be stored as style attributes, which the CSP refuses.
    Lesson = apps.get_model("lessons", "Lesson")
    for lesson in Lesson.objects.filter(body_html__contains=' style="').iterator():
        lesson.body_html = render_lesson_markdown(lesson.body)
        lesson.save(update_fields=["body_html"])


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_lessons_and_attachments")]
    operations = [migrations.RunPython(rerender_lessons, migrations.RunPython.noop)]
