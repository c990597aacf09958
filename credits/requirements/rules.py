"""Reference rules seeded for every installation: the Massachusetts physician renewal
requirements (Board of Registration in Medicine, 243 CMR 2.06), from public secondary
summaries. Administrators keep them current in the admin; this only fills a missing set."""
from decimal import Decimal

from courses.topics import STANDARD_TOPICS

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



def massachusetts_physician_rules_ensure(requirement_set_model=None, topic_requirement_model=None,
                                         topic_model=None) -> None:
    """Create the rules unless Massachusetts physicians already have a set (active or not), so
    an administrator's edits, or a set they retired, are never overwritten."""
    if requirement_set_model is None:
        from courses.models import Topic as topic_model
        from credits.requirements.models import RequirementSet as requirement_set_model
        from credits.requirements.models import TopicRequirement as topic_requirement_model
    if requirement_set_model.objects.filter(state="MA", profession="physician").exists():
        return
    requirement_set = requirement_set_model.objects.create(
        state="MA", profession="physician", is_active=True,
        name="Massachusetts physician licence renewal", cycle_months=24,
        total_credits=Decimal("50"), accepted_credit_types=["ama_pra_1"],
        source_note=SOURCE_NOTE, source_url=SOURCE_URL)
    topic_names = dict(STANDARD_TOPICS)
    for slug, minimum, one_time in TOPIC_REQUIREMENTS:
        topic, _ = topic_model.objects.get_or_create(slug=slug,
                                                     defaults={"name": topic_names[slug]})
        topic_requirement_model.objects.create(
            requirement_set=requirement_set, topic=topic,
            minimum_credits=Decimal(minimum), one_time=one_time)
