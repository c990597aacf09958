"""Credit-claim reminders and licence-deadline reminders: due on the right days, at most the
allowed number, and listing the right shortfall with courses that cover it."""
import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.tasks import outgoing_message_batch_send
from courses.models import Topic
from credits.learning.reminders import (
    claim_reminders_due_record,
    licence_deadlines_due_record,
    licence_shortfalls,
)
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    CreditRecordFactory,
    LicenceFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _attended(user, *, ended_days_ago: float, claim_window_days=90):
    ends_at = timezone.now() - ended_days_ago * DAY
    session = SessionFactory(starts_at=ends_at - datetime.timedelta(hours=1), ends_at=ends_at,
                             course__claim_window_days=claim_window_days)
    AttendanceFactory(user=user, session=session)
    return session


def _occurrences(user):
    return sorted(OutgoingMessage.objects.filter(recipient=user, kind="claim_pending")
                  .values_list("occurrence", flat=True))


def test_claim_reminder_goes_out_the_day_after_then_weekly_at_most_three_times(clinician):
    session = _attended(clinician, ended_days_ago=0.5)
    now = timezone.now()
    claim_reminders_due_record(now=now)
    assert _occurrences(clinician) == []

    for days_later, expected in [(1, ["claim-1"]), (2, ["claim-1"]), (8, ["claim-1", "claim-2"]),
                                 (15, ["claim-1", "claim-2", "claim-3"]),
                                 (40, ["claim-1", "claim-2", "claim-3"])]:
        claim_reminders_due_record(now=now + days_later * DAY)
        claim_reminders_due_record(now=now + days_later * DAY)
        assert _occurrences(clinician) == expected, days_later
    message = OutgoingMessage.objects.get(occurrence="claim-1")
    assert message.object_key == f"course:{session.course_id}"


def test_no_claim_reminder_once_the_credit_is_claimed_or_the_window_has_closed(
        clinician, other_clinician):
    claimed = _attended(clinician, ended_days_ago=3)
    CreditRecordFactory(user=clinician, course=claimed.course)
    _attended(other_clinician, ended_days_ago=20, claim_window_days=10)
    claim_reminders_due_record()
    assert not OutgoingMessage.objects.exists()


def test_claim_reminder_shows_the_closing_date_of_the_claim_window(clinician):
    session = _attended(clinician, ended_days_ago=2, claim_window_days=30)
    claim_reminders_due_record()
    ids = list(OutgoingMessage.objects.values_list("pk", flat=True))
    outgoing_message_batch_send.apply(args=[ids])
    closes = timezone.localtime(session.ends_at + 30 * DAY)
    assert f"{closes:%-d %b %Y}" in mail.outbox[0].body
    assert session.course.title in mail.outbox[0].subject


@pytest.fixture
def topics():
    return {topic.slug: topic for topic in Topic.objects.all()}


def _credit(user, amount, *topic_objects, completed_on=datetime.date(2026, 6, 1)):
    course = CourseFactory()
    course.topics.set(topic_objects)
    return CreditRecordFactory(user=user, course=course, amount=Decimal(amount),
                               completed_on=completed_on)


def test_licence_shortfall_is_computed_per_requirement_from_active_credit_in_the_cycle(
        clinician, topics):
    licence = LicenceFactory(user=clinician, expires_on=datetime.date(2027, 3, 14))
    _credit(clinician, "3.5", topics["risk-management"])
    _credit(clinician, "3", topics["opioid-pain-management"], topics["risk-management"])
    _credit(clinician, "30")
    _credit(clinician, "20", completed_on=datetime.date(2025, 3, 14))  # before this cycle
    voided = _credit(clinician, "10", topics["implicit-bias"])
    voided.status, voided.voided_at, voided.void_reason = "voided", timezone.now(), "Duplicate"
    voided.save()

    shortfalls = {s.requirement: s.missing for s in licence_shortfalls(clinician, licence)}
    assert shortfalls == {
        "All credits": Decimal("13.5"),
        "Risk management": Decimal("3.5"),
        "Implicit bias in health care": Decimal("2"),
        "End-of-life care": Decimal("2"),
        "Board of Registration regulations": Decimal("2"),
        "Electronic health records": Decimal("3"),
    }


def test_deadline_reminder_30_days_before_lists_the_shortfall_and_courses_covering_it(
        clinician, topics):
    today = timezone.localdate()
    licence = LicenceFactory(user=clinician, expires_on=today + datetime.timedelta(days=30))
    _credit(clinician, "48", topics["risk-management"], topics["opioid-pain-management"],
            topics["implicit-bias"], topics["board-regulations"],
            completed_on=today - datetime.timedelta(days=100))
    covering = CourseFactory(title="Talking about dying", format="enduring")
    covering.topics.add(topics["end-of-life-care"])
    CourseFactory(title="Draft on dying", format="enduring", status="draft").topics.add(
        topics["end-of-life-care"])

    licence_deadlines_due_record()
    licence_deadlines_due_record()

    message = OutgoingMessage.objects.get(kind="licence_deadline")
    assert message.occurrence == f"30d-{licence.expires_on.isoformat()}"
    outgoing_message_batch_send.apply(args=[[message.pk]])
    body = mail.outbox[0].body
    assert "End-of-life care: 2.00 AMA PRA Category 1 Credits™ still needed" in body
    assert "All credits: 2.00 AMA PRA Category 1 Credits™ still needed" in body
    assert "Risk management" not in body
    assert "Talking about dying" in body and "Draft on dying" not in body
    assert "30 days left" in mail.outbox[0].subject


def test_no_deadline_reminder_without_a_shortfall_or_outside_the_reminder_days(
        clinician, other_clinician, topics):
    today = timezone.localdate()
    LicenceFactory(user=clinician, expires_on=today + datetime.timedelta(days=7))
    _credit(clinician, "50", *topics.values(), completed_on=today - datetime.timedelta(days=10))
    LicenceFactory(user=other_clinician, expires_on=today + datetime.timedelta(days=120))
    licence_deadlines_due_record()
    assert not OutgoingMessage.objects.exists()
