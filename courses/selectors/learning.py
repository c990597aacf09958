"""Reads behind a clinician's My learning page and their calendar feed."""
import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from courses.models import CalendarFeed, Enrolment, Session
from credits import checkin
from credits.models import Attendance

UPCOMING_SESSION_LIMIT = 20


def upcoming_sessions_for(*, user: User, now: datetime.datetime | None = None,
                          limit: int = UPCOMING_SESSION_LIMIT) -> list[Session]:
    """Sessions not yet over of the courses the clinician is enrolled in, soonest first.

    Each carries its check-in state for the Check in button: `checkin_is_open`,
    `checkin_opens_at` and `checked_in`, in the same single query.
    """
    now = now or timezone.now()
    sessions = list(Session.objects.filter(
        course__enrolments__user=user, course__enrolments__status=Enrolment.Status.ENROLLED,
        is_cancelled=False, ends_at__gt=now,
    ).annotate(checked_in=Exists(Attendance.objects.filter(
        user=user, session=OuterRef("pk"), status=Attendance.Status.PRESENT)),
    ).select_related("course").order_by("starts_at", "pk")[:limit])
    for session in sessions:
        session.checkin_is_open = checkin.window_is_open(session, now)
        session.checkin_opens_at = checkin.window_opens_at(session)
    return sessions


def waiting_enrolments_for(*, user: User) -> list[Enrolment]:
    """Waitlist places and requests awaiting approval, waitlist first."""
    return list(Enrolment.objects.filter(
        user=user, status__in=[Enrolment.Status.WAITLISTED, Enrolment.Status.PENDING],
    ).select_related("course").order_by("-status", "created_at"))


def calendar_sessions_for(*, user: User) -> QuerySet:
    """Every session (past and future) of the courses the clinician is enrolled in."""
    return Session.objects.filter(
        course__enrolments__user=user, course__enrolments__status=Enrolment.Status.ENROLLED,
        is_cancelled=False,
    ).select_related("course").order_by("starts_at", "pk")


def calendar_feed_active_for(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed:
    """The active feed with this token; raises CalendarFeed.DoesNotExist otherwise."""
    return CalendarFeed.objects.select_related("user").get(token=token, revoked_at__isnull=True)
