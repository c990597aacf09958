"""A course a clinician attended, ready to evaluate and claim (shared by the claims tests)."""
import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    CreditDesignationFactory,
    SessionFactory,
)


def attended_course(user, *, designations=(("ama_pra_1", "1.50"),), minutes=None,
                    days_ago=2, duration_minutes=90, **course_fields):
    course = CourseFactory(**course_fields)
    if days_ago:
        # Noon in the clinician's zone, so the session starts and ends on one local day whatever
        # the time the suite runs (claim windows count local days).
        zone = zoneinfo.ZoneInfo(user.time_zone)
        day = timezone.localdate(timezone.now(), zone) - datetime.timedelta(days=days_ago)
        starts_at = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
    else:
        starts_at = timezone.now().replace(microsecond=0)
    session = SessionFactory(course=course, starts_at=starts_at,
                             ends_at=starts_at + datetime.timedelta(minutes=duration_minutes))
    for credit_type, max_credits in designations:
        CreditDesignationFactory(course=course, credit_type=credit_type,
                                 max_credits=Decimal(max_credits))
    AttendanceFactory(session=session, user=user, minutes_attended=minutes)
    return course
