"""Reads about one clinician's courses: places waiting for a seat or a decision, and the
sessions and token of their calendar feed."""
from django.db.models import QuerySet

from accounts.models import User
from courses.models import CalendarFeed, Enrolment, Session
from courses.session_audience import sessions_visible_q


def waiting_enrolments_for(*, user: User) -> list[Enrolment]:
    """Waitlist places and requests awaiting approval, waitlist first."""
    return list(Enrolment.objects.filter(
        user=user, status__in=[Enrolment.Status.WAITLISTED, Enrolment.Status.PENDING],
    ).select_related("course").order_by("-status", "created_at"))


def calendar_sessions_for(*, user: User) -> QuerySet:
    """Every session (past and future) of the courses the clinician is enrolled in that they
    may see (a cohort's own session only for its members)."""
    return Session.objects.filter(
        sessions_visible_q(user=user),
        course__enrolments__user=user, course__enrolments__status=Enrolment.Status.ENROLLED,
        is_cancelled=False,
    ).select_related("course").order_by("starts_at", "pk")


def calendar_feed_active_for(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed:
    """The active feed with this token; raises CalendarFeed.DoesNotExist otherwise."""
    return CalendarFeed.objects.select_related("user").get(token=token, revoked_at__isnull=True)
