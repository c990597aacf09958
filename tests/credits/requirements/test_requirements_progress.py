"""Licence requirement progress: the cycle window, what counts toward each requirement, the
shortfall in words, and a query count that does not grow with licences or records."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import US_STATES
from courses.models import Course, Topic
from credits.models import CreditRecord, ExternalActivity, RequirementSet, TopicRequirement
from credits.requirements.selectors import (
    months_before,
    requirement_progress_for,
    requirement_progress_with_records_for,
)
from tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db

EXPIRES = datetime.date(2027, 3, 14)
IN_CYCLE = datetime.date(2026, 6, 1)
_course_number = iter(range(1, 10_000))


def course_with(*topic_slugs: str) -> Course:
    number = next(_course_number)
    course = Course.objects.create(title=f"Activity {number}", slug=f"activity-{number}",
                                   summary="An activity.", status=Course.Status.PUBLISHED)
    course.topics.set(Topic.objects.filter(slug__in=topic_slugs))
    return course


def record(user, *, amount, completed_on=IN_CYCLE, course=None, external_activity=None,
           credit_type="ama_pra_1", status="active") -> CreditRecord:
    if course is None and external_activity is None:
        course = course_with()
    extra = {"void_reason": "Entered twice", "voided_at": timezone.now()} \
        if status == "voided" else {}
    return CreditRecord.objects.create(
        user=user, course=course, external_activity=external_activity, credit_type=credit_type,
        amount=Decimal(amount), completed_on=completed_on, claimed_at=timezone.now(),
        source=CreditRecord.Source.ADMINISTRATOR, status=status, **extra)


def ma_progress(user):
    [progress] = requirement_progress_for(user=user)
    return progress, {r.topic.slug: r for r in progress.topics}


def test_massachusetts_physician_rules_are_seeded():
    rules = RequirementSet.objects.get(state="MA", profession="physician", is_active=True)
    assert rules.cycle_months == 24 and rules.cycle_anchor == "licence_expiry"
    assert rules.total_credits == 50
    assert (rules.live_minimum, rules.carry_over_maximum) == (0, 0)
    assert rules.accepted_credit_types == ["ama_pra_1"]
    topics = {t.topic.slug: (t.minimum_credits, t.one_time)
              for t in rules.topic_requirements.select_related("topic")}
    assert topics == {
        "risk-management": (10, False), "opioid-pain-management": (3, False),
        "board-regulations": (2, False), "implicit-bias": (2, False),
        "end-of-life-care": (2, True), "electronic-health-records": (3, True),
    }


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(datetime.date(2027, 3, 14), 24) == datetime.date(2025, 3, 14)
    assert months_before(datetime.date(2026, 5, 31), 3) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2028, 2, 29), 24) == datetime.date(2026, 2, 28)


def test_shortfall_is_said_in_words_with_the_renewal_date(clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    record(clinician, amount="3.5", course=course_with("risk-management"))

    progress, topics = ma_progress(clinician)

    assert progress.cycle_starts_on == datetime.date(2025, 3, 15)
    assert progress.cycle_ends_on == EXPIRES
    assert topics["risk-management"].earned == Decimal("3.5")
    assert topics["risk-management"].status_sentence == (
        "6.5 credits of risk management still needed by 14 March 2027")
    assert progress.total.earned == Decimal("3.5")
    assert progress.total.status_sentence == "46.5 credits still needed by 14 March 2027"
    assert not progress.is_met


def test_only_active_accepted_credit_inside_the_cycle_counts_toward_the_total(clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    record(clinician, amount="1", completed_on=datetime.date(2025, 3, 14))  # the day before
    record(clinician, amount="2", completed_on=datetime.date(2025, 3, 15))  # first day
    record(clinician, amount="4", completed_on=EXPIRES)  # last day
    record(clinician, amount="8", completed_on=datetime.date(2027, 3, 15))  # next cycle
    record(clinician, amount="16", status="voided")
    record(clinician, amount="32", credit_type="ancc")

    progress, _ = ma_progress(clinician)

    assert progress.total.earned == Decimal("6")


def test_one_time_topics_count_records_from_before_the_cycle(clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    long_ago = datetime.date(2019, 5, 2)
    record(clinician, amount="2", completed_on=long_ago, course=course_with("end-of-life-care"))
    record(clinician, amount="2", completed_on=long_ago, course=course_with("risk-management"))

    progress, topics = ma_progress(clinician)

    assert topics["end-of-life-care"].is_met
    assert topics["end-of-life-care"].status_sentence == (
        "Met: 2 credits of end-of-life care earned.")
    assert topics["risk-management"].earned == 0
    assert progress.total.earned == 0


def test_external_activity_topics_count_and_a_record_with_two_topics_counts_once(clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    external = ExternalActivity.objects.create(
        user=clinician, provider="Massachusetts Medical Society", title="Opioid prescribing",
        completed_on=IN_CYCLE, credit_type="ama_pra_1", amount=Decimal("3"),
        certificate="external-certificates/opioids.pdf")
    external.topics.set(Topic.objects.filter(slug="opioid-pain-management"))
    record(clinician, amount="3", external_activity=external)
    record(clinician, amount="2", course=course_with("implicit-bias", "risk-management"))

    progress, topics = ma_progress(clinician)

    assert topics["opioid-pain-management"].is_met
    assert topics["implicit-bias"].earned == 2
    assert topics["risk-management"].earned == 2
    assert progress.total.earned == 5


def test_licences_without_an_active_requirement_set_are_left_out(clinician):
    LicenceFactory(user=clinician, state="NY")
    LicenceFactory(user=clinician, state="MA", profession="dietitian")
    assert requirement_progress_for(user=clinician) == []


def test_another_clinicians_records_never_count(clinician, other_clinician):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    record(other_clinician, amount="10", course=course_with("risk-management"))
    progress, topics = ma_progress(clinician)
    assert progress.total.earned == 0
    assert topics["risk-management"].earned == 0


def _state_rules(states):
    template = RequirementSet.objects.get(state="MA", profession="physician")
    topic_rows = list(template.topic_requirements.all())
    for state in states:
        rules = RequirementSet.objects.create(
            state=state, profession="physician", name=f"{state} physician renewal",
            effective_from=datetime.date(2001, 1, 1), cycle_months=24, total_credits=50,
            accepted_credit_types=["ama_pra_1"])
        TopicRequirement.objects.bulk_create([
            TopicRequirement(requirement_set=rules, topic_id=row.topic_id,
                             minimum_credits=row.minimum_credits, one_time=row.one_time)
            for row in topic_rows])


@pytest.mark.parametrize("size", [1, 50])
def test_progress_runs_a_fixed_number_of_queries(clinician, django_assert_num_queries, size):
    states = [code for code, _ in US_STATES if code != "MA"][: size - 1]
    _state_rules(states)
    for index, state in enumerate(["MA", *states]):
        LicenceFactory(user=clinician, state=state,
                       expires_on=EXPIRES + datetime.timedelta(days=index))
    topics = ["risk-management", "implicit-bias"]
    for index in range(size):
        record(clinician, amount="1.25", course=course_with(topics[index % 2]),
               completed_on=IN_CYCLE - datetime.timedelta(days=index))

    # Licences, requirement sets, their topic rows, and one aggregate query for the sums.
    with django_assert_num_queries(4):
        progress = requirement_progress_for(user=clinician)

    assert len(progress) == size
    assert progress[0].total.earned == Decimal("1.25") * size


@pytest.mark.parametrize("size", [1, 50])
def test_progress_with_records_runs_a_fixed_number_of_queries(
        clinician, django_assert_num_queries, size):
    LicenceFactory(user=clinician, expires_on=EXPIRES)
    for _ in range(size):
        record(clinician, amount="1", course=course_with("risk-management"))
    external = ExternalActivity.objects.create(
        user=clinician, provider="Board", title="Regulations", completed_on=IN_CYCLE,
        credit_type="ama_pra_1", amount=Decimal("2"), certificate="external-certificates/b.pdf")
    record(clinician, amount="2", external_activity=external)

    # Progress (4), then the records and the topics of their courses and external activities.
    with django_assert_num_queries(7):
        [progress] = requirement_progress_with_records_for(user=clinician)

    risk = next(r for r in progress.topics if r.topic.slug == "risk-management")
    assert len(risk.contributing_records) == size
    assert len(progress.total.contributing_records) == size + 1
