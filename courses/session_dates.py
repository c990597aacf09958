"""The session dates stored on each course (`Course.next_session_starts_at`, `sessions_end_at`).

The catalog shows and sorts by each course's next session and lists only courses with a session
still to come. Computed per request, that is a subquery over the sessions of every open course
(tens of milliseconds at 10,000 courses); stored, it is an index walk. Every save or delete of a
session recomputes its course's two dates in the same transaction (a signal, so admin edits
and factories are covered; bulk inserts call `course_session_dates_refresh` themselves), and so
does every save of the course itself, since a Course loaded before its sessions changed would
otherwise write its stale copy back. The end of the last session never goes stale; the next
start does as each session starts, so a sweep each minute moves it on
(`course_session_dates_sweep`, run by beat). Only public sessions count: a session kept for an
audience (a pathway cohort's, courses.session_audience) must not show its date in the catalog,
so keeping a session refreshes its course's dates too.
"""
import datetime

from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from courses.models import Course, Session
from courses.session_audience import public_sessions_q


def _dates(now: datetime.datetime) -> dict:
    sessions = (Session.objects.filter(public_sessions_q(), course=OuterRef("pk"),
                                       is_cancelled=False).order_by())
    return {
        "next_session_starts_at": Subquery(
            sessions.filter(starts_at__gte=now).values("course")
            .annotate(first=Min("starts_at")).values("first")),
        "sessions_end_at": Subquery(
            sessions.values("course").annotate(last=Max("ends_at")).values("last")),
    }


def course_session_dates_refresh(*, course_ids, now: datetime.datetime | None = None) -> int:
    """Recompute the stored session dates of these courses (one UPDATE)."""
    return Course.objects.filter(pk__in=list(course_ids)).update(**_dates(now or timezone.now()))


def course_session_dates_sweep(*, now: datetime.datetime | None = None) -> int:
    """Move on the next session of courses whose stored one has started; returns how many."""
    now = now or timezone.now()
    return (Course.objects.filter(next_session_starts_at__lt=now)
            .update(next_session_starts_at=_dates(now)["next_session_starts_at"]))


def _session_changed(sender, instance: Session, **kwargs) -> None:
    course_session_dates_refresh(course_ids=[instance.course_id])


def _course_saved(sender, instance: Course, **kwargs) -> None:
    course_session_dates_refresh(course_ids=[instance.pk])


def connect_session_dates() -> None:
    post_save.connect(_session_changed, sender=Session, dispatch_uid="course-session-dates")
    post_delete.connect(_session_changed, sender=Session,
                        dispatch_uid="course-session-dates-delete")
    post_save.connect(_course_saved, sender=Course, dispatch_uid="course-session-dates-course")
