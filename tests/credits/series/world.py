"""A ten-week grand-rounds series: weekly on Tuesdays 07:30-08:30 from the coming Tuesday,
1.00 AMA credit per session, a named coordinator, speakers in various states of readiness."""
import datetime
from decimal import Decimal

from django.utils import timezone

from courses.models import Course
from credits.series.models import SeriesCoordination
from tests.factories import (
    CourseFactory,
    CreditDesignationFactory,
    DisclosureFactory,
    FacultyFactory,
    SessionFactory,
    UserFactory,
)

TOPICS = ["Sepsis bundles in 2027", "Heart failure with preserved ejection fraction",
          "Anticoagulation around surgery", "Delirium in the older inpatient",
          "Diabetic ketoacidosis protocols", "Community-acquired pneumonia",
          "Acute kidney injury", "Syncope work-up", "Hyponatraemia", "Opioid stewardship"]


def next_tuesday_morning(now: datetime.datetime | None = None) -> datetime.datetime:
    today = timezone.localdate(now)
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 30)))


def ten_week_series(director, *, coordinator=None, weeks: int = 10, first=None):
    course = CourseFactory(directors=[director], format=Course.Format.RSS,
                           title="Medicine grand rounds 2027", evaluation_required=False)
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
    SeriesCoordination.objects.create(course=course, coordinator=coordinator)
    first = first or next_tuesday_morning()
    sessions = [SessionFactory(course=course, title=TOPICS[week % len(TOPICS)],
                               starts_at=first + datetime.timedelta(weeks=week),
                               ends_at=first + datetime.timedelta(weeks=week, hours=1))
                for week in range(weeks)]
    return course, sessions


def speaker(course, session, *, signed=True, relationship=None, name="Dr Ana Souza"):
    person = FacultyFactory(full_name=name, email=f"{name.split()[-1].lower()}@hospital.example")
    kwargs = {"signed__relationship": relationship} if relationship else {}
    DisclosureFactory(course=course, faculty=person, signed=signed, **kwargs)
    session.faculty.add(person)
    return person


def coordinator_user():
    return UserFactory(full_name="Grace Okafor", email="gokafor@hospital.example")
