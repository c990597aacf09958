"""Seed the Massachusetts physician renewal rules (Board of Registration in Medicine, 243 CMR
2.06), taken from public secondary summaries; administrators keep them current in the admin."""
from decimal import Decimal

from django.db import migrations

SOURCE_NOTE = (
    "Massachusetts Board of Registration in Medicine (243 CMR 2.06), as summarised by public "
    "secondary sources (Massachusetts Medical Society, CME provider guides): at least 50 CME "
    "credits every two years, due at renewal on the physician's licence expiry date. Credits "
    "must come from an organisation accredited by the ACCME, AOA or AAFP (or an ACCME-recognised "
    "state medical society); the portal counts AMA PRA Category 1 Credit™, the type its own "
    "activities award. AOA, AAFP and Category 2 credit, point-of-care learning, the 1-hour "
    "Alzheimer's disease requirement and the child abuse, domestic and sexual violence trainings "
    "are not tracked here. Opioid education applies to physicians who prescribe controlled "
    "substances. Check the Board's current rules before renewal."
)
SOURCE_URL = "https://www.mass.gov/doc/borim-cme-requirements-pdf/download"

TOPIC_REQUIREMENTS = [
    # (topic slug, minimum credits, one time)
    ("risk-management", "10", False),
    ("opioid-pain-management", "3", False),
    ("board-regulations", "2", False),
    ("implicit-bias", "2", False),
    ("end-of-life-care", "2", True),
    ("electronic-health-records", "3", True),
]


def seed(apps, schema_editor):
    RequirementSet = apps.get_model("credits", "RequirementSet")
    TopicRequirement = apps.get_model("credits", "TopicRequirement")
    Topic = apps.get_model("courses", "Topic")
    requirement_set, created = RequirementSet.objects.get_or_create(
        state="MA", profession="physician", is_active=True,
        defaults={"name": "Massachusetts physician licence renewal", "cycle_months": 24,
                  "total_credits": Decimal("50"), "accepted_credit_types": ["ama_pra_1"],
                  "source_note": SOURCE_NOTE, "source_url": SOURCE_URL})
    if not created:
        return
    for slug, minimum, one_time in TOPIC_REQUIREMENTS:
        TopicRequirement.objects.create(requirement_set=requirement_set,
                                        topic=Topic.objects.get(slug=slug),
                                        minimum_credits=Decimal(minimum), one_time=one_time)


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0002_requirements"),
        ("courses", "0003_standard_topics"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
