"""What the activity reports share: which activities ran in a year and who took part.

An activity counts in a year when one of its sessions (not cancelled) started that year, or,
for enduring material, when a learner completed it that year. Learners are the people who
attended a session that year or hold active credit completed that year, counted once per
activity and split into physicians and other learners as PARS asks.
"""
import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connections
from django.db.models import Max, Min, Q, Sum

from accounts.choices import Profession
from accounts.models import User
from courses.disclosures.models import CommercialSupport
from courses.models import Course, CreditDesignation, Session
from cpd_portal.replica import read_alias
from credits.attendance.models import Attendance
from credits.ledger.models import CreditRecord


@dataclass
class ActivityYear:
    course: Course
    first_session: datetime.datetime | None = None
    last_session_end: datetime.datetime | None = None
    location: str = ""
    hours_of_instruction: Decimal = Decimal(0)
    physician_learners: int = 0
    other_learners: int = 0
    credits_designated: dict[str, Decimal] = field(default_factory=dict)
    credits_awarded: dict[str, Decimal] = field(default_factory=dict)
    # Standard 4 records of courses.disclosures: supporter, amount, in-kind support.
    supports: list = field(default_factory=list)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return (datetime.datetime(year, 1, 1, tzinfo=zone),
            datetime.datetime(year + 1, 1, 1, tzinfo=zone))


def learner_counts_by_course(year: int) -> dict[int, tuple[int, int]]:
    """course id -> (physician learners, other learners) for the year, counted in SQL."""
    start, end = _year_bounds(year)
    # Table names come from model metadata, every value is a parameter.
    sql = f"""
        SELECT p.course_id,
               count(*) FILTER (WHERE u.profession = %s),
               count(*) FILTER (WHERE u.profession <> %s)
        FROM (
            SELECT s.course_id, a.user_id
            FROM {Attendance._meta.db_table} a
            JOIN {Session._meta.db_table} s ON s.id = a.session_id
            WHERE a.status = %s AND NOT s.is_cancelled
              AND s.starts_at >= %s AND s.starts_at < %s
            UNION
            SELECT c.course_id, c.user_id
            FROM {CreditRecord._meta.db_table} c
            WHERE c.status = %s AND c.course_id IS NOT NULL
              AND c.completed_on >= %s AND c.completed_on < %s
        ) p
        JOIN {User._meta.db_table} u ON u.id = p.user_id
        GROUP BY p.course_id
    """  # noqa: S608
    params = [Profession.PHYSICIAN, Profession.PHYSICIAN, Attendance.Status.PRESENT, start, end,
              CreditRecord.Status.ACTIVE, datetime.date(year, 1, 1),
              datetime.date(year + 1, 1, 1)]
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return {course_id: (physicians, others) for course_id, physicians, others in cursor}


def activities_in_year(year: int) -> list[ActivityYear]:
    """Every activity of the year with its dates, hours, learners, credits and commercial
    support, in 6 queries."""
    start, end = _year_bounds(year)
    sessions = Session.objects.filter(is_cancelled=False, starts_at__gte=start, starts_at__lt=end)
    completed_in_year = Q(credit_records__status=CreditRecord.Status.ACTIVE,
                          credit_records__completed_on__year=year)
    courses = (Course.objects.exclude(status=Course.Status.DRAFT)
               .filter(Q(pk__in=sessions.values("course_id"))
                       | (Q(format__in=Course.SELF_PACED_FORMATS) & completed_in_year))
               .distinct().order_by("title", "pk"))
    activities = {course.pk: ActivityYear(course=course) for course in courses}

    for row in (sessions.filter(course_id__in=activities).values("course_id")
                .annotate(first=Min("starts_at"), last=Max("ends_at"), location=Max("location"))):
        activity = activities[row["course_id"]]
        activity.first_session, activity.last_session_end = row["first"], row["last"]
        activity.location = row["location"] or ""
    for course_id, starts_at, ends_at in (sessions.filter(course_id__in=activities)
                                          .values_list("course_id", "starts_at", "ends_at")):
        hours = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
        activities[course_id].hours_of_instruction += hours
    for designation in CreditDesignation.objects.filter(course_id__in=activities):
        activities[designation.course_id].credits_designated[designation.credit_type] = (
            designation.max_credits)
    for row in (CreditRecord.objects.filter(course_id__in=activities,
                                            status=CreditRecord.Status.ACTIVE,
                                            completed_on__year=year)
                .values("course_id", "credit_type").annotate(total=Sum("amount"))):
        activities[row["course_id"]].credits_awarded[row["credit_type"]] = row["total"]
    for support in CommercialSupport.objects.filter(course_id__in=activities).order_by(
            "supporter", "pk"):
        activities[support.course_id].supports.append(support)
    counts = learner_counts_by_course(year)
    for course_id, activity in activities.items():
        activity.physician_learners, activity.other_learners = counts.get(course_id, (0, 0))
        if activity.course.is_self_paced and not activity.hours_of_instruction:
            # Enduring material has no sessions; ACCME counts its designated credit as hours.
            activity.hours_of_instruction = max(activity.credits_designated.values(),
                                                default=Decimal(0))
    return list(activities.values())
