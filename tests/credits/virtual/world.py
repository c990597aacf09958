"""A hybrid grand-rounds session with enrolled learners (shared by the Zoom and Teams tests)."""
import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import (
    CourseFactory,
    CreditDesignationFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
)


def hybrid_session(director, *, learners: int = 8, minutes: int = 60, hours_ago: int = 3):
    """A 60-minute session that started `hours_ago` (negative: in the future), 1.00 AMA
    credit, `learners` enrolled."""
    course = CourseFactory(directors=[director], evaluation_required=False,
                           title="Medicine grand rounds: sepsis bundles in 2026")
    starts_at = (timezone.now() - datetime.timedelta(hours=hours_ago)).replace(
        second=0, microsecond=0)
    session = SessionFactory(course=course, starts_at=starts_at,
                             ends_at=starts_at + datetime.timedelta(minutes=minutes))
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
    people = [UserFactory(full_name=f"Learner {index}") for index in range(learners)]
    for person in people:
        EnrolmentFactory(course=course, user=person)
    return session, people


def at(session, minute: int) -> datetime.datetime:
    return session.starts_at + datetime.timedelta(minutes=minute)


def held(session, *, hours_ago: int = 3):
    """The session, moved (as if time passed) to have started `hours_ago`."""
    length = session.ends_at - session.starts_at
    session.starts_at = (timezone.now() - datetime.timedelta(hours=hours_ago)).replace(
        second=0, microsecond=0)
    session.ends_at = session.starts_at + length
    session.save(update_fields=["starts_at", "ends_at"])
    return session
