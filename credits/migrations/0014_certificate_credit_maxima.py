"""Certificates' credit snapshots gain each type's designated maximum, which the Open Badges
credential states (it was read from the course's designations at each signing)."""
from django.db import migrations, models


def add_maxima(apps, schema_editor):
    Certificate = apps.get_model("credits", "Certificate")
    CreditDesignation = apps.get_model("courses", "CreditDesignation")
    maxima: dict[int, dict[str, str]] = {}
    for course_id, credit_type, max_credits in CreditDesignation.objects.values_list(
            "course_id", "credit_type", "max_credits"):
        maxima.setdefault(course_id, {})[credit_type] = f"{max_credits:.2f}"
    changed = []
    for certificate in Certificate.objects.only("pk", "course_id", "credits").iterator(2000):
        course_maxima = maxima.get(certificate.course_id, {})
        credits = [credit | ({"maximum": course_maxima[credit["credit_type"]]}
                             if credit["credit_type"] in course_maxima else {})
                   for credit in certificate.credits]
        if credits != certificate.credits:
            certificate.credits = credits
            changed.append(certificate)
        if len(changed) == 2000:
            Certificate.objects.bulk_update(changed, ["credits"])
            changed = []
    Certificate.objects.bulk_update(changed, ["credits"])


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0013_merge_practice_drills'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificate',
            name='credits',
            field=models.JSONField(default=list, help_text='Snapshot: [{credit_type, amount, wording, maximum}], the credits as printed and the most the course designated.'),
        ),
        migrations.RunPython(add_maxima, migrations.RunPython.noop),
    ]
