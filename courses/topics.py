"""The topics licence boards mandate, shared by course tags and requirement sets."""

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


def standard_topics_ensure(topic_model=None) -> None:
    """Create any missing standard topic (idempotent); migrations pass their historical model."""
    if topic_model is None:
        from courses.models import Topic as topic_model
    for slug, name in STANDARD_TOPICS:
        topic_model.objects.get_or_create(slug=slug, defaults={"name": name})
