"""Session reminders (a day and an hour before) and notices of rescheduled or cancelled
sessions, recorded in the outgoing-message ledger.

The beat tick (courses.tasks.session_reminders_tick) calls `session_reminders_due_record`
every minute; the unique key of OutgoingMessage makes each reminder go out once however often
the scan runs. Nothing is scheduled ahead as a Celery ETA task.
"""
import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.services import outgoing_messages_dispatch, outgoing_messages_record

from .models import Course, Enrolment, Session
from .session_audience import session_recipients_q

SESSION_CHANGES = {"rescheduled": "session_rescheduled", "cancelled": "session_cancelled"}


def course_url(course: Course) -> str:
    """Absolute link to the course page (the route belongs to the catalog area)."""
    try:
        path = reverse("courses:detail", args=[course.slug])
    except NoReverseMatch:
        path = f"/courses/{course.slug}/"
    return f"{settings.SITE_URL}{path}"


def session_context(session: Session) -> dict:
    """What every session email shows; datetimes as ISO strings under `_at` keys."""
    return {
        "session_id": session.pk,
        "session_title": session.display_title,
        "course_title": session.course.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "location": session.location,
        "online_url": session.online_url,
        "course_url": course_url(session.course),
    }


def _offset_windows(offsets_hours: list[int]) -> list[tuple[int, timedelta, timedelta]]:
    """(hours, earliest, latest) before the start at which each reminder is due.

    A reminder is due from `hours` before the start until the next shorter reminder takes
    over, so someone who enrols 3 hours before gets the 1-hour reminder only, not a late
    "tomorrow" one.
    """
    ordered = sorted(set(offsets_hours), reverse=True)
    windows = []
    for index, hours in enumerate(ordered):
        shorter = ordered[index + 1] if index + 1 < len(ordered) else 0
        windows.append((hours, timedelta(hours=hours), timedelta(hours=shorter)))
    return windows


def session_reminder_occurrence(hours: int, starts_at: datetime) -> str:
    # The start time is part of the key: after a reschedule the reminders are due again.
    return f"{hours}h@{starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def session_reminders_due_record(*, now: datetime | None = None) -> int:
    """Record a reminder for every enrolled clinician of every session now inside one of the
    reminder windows (settings.SESSION_REMINDER_OFFSETS_HOURS). Returns rows offered."""
    now = now or timezone.now()
    offered = 0
    for hours, earliest, latest in _offset_windows(settings.SESSION_REMINDER_OFFSETS_HOURS):
        sessions = (Session.objects
                    .filter(is_cancelled=False, course__status=Course.Status.PUBLISHED,
                            starts_at__gt=now + latest, starts_at__lte=now + earliest)
                    .select_related("course"))
        for session in sessions:
            context = session_context(session)
            context["hours_before"] = hours
            occurrence = session_reminder_occurrence(hours, session.starts_at)
            # A cohort's own session reminds its members only (courses.session_audience).
            recipient_ids = (Enrolment.objects
                             .filter(session_recipients_q(session_ref=session.pk),
                                     course_id=session.course_id,
                                     status=Enrolment.Status.ENROLLED)
                             .values_list("user_id", flat=True).iterator(chunk_size=5000))
            offered += outgoing_messages_record(messages=(
                OutgoingMessage(recipient_id=user_id, kind="session_reminder",
                                object_key=f"session:{session.pk}", occurrence=occurrence,
                                context=context)
                for user_id in recipient_ids))
    return offered


def session_change_occurrence(session: Session) -> str:
    """Same new times, same key: a repeated save notifies nobody twice; a second, different
    reschedule notifies again."""
    times = f"{session.starts_at.isoformat()}|{session.ends_at.isoformat()}"
    return hashlib.sha256(times.encode()).hexdigest()[:16]


def session_change_notify(*, session: Session, change: str) -> int:
    """Tell everyone enrolled that `session` was rescheduled or cancelled.

    Call it after saving the session, inside the transaction that changed it; the messages are
    handed to workers once it commits. Returns how many were offered.
    """
    if change not in SESSION_CHANGES:
        raise ValueError(f"change must be one of {sorted(SESSION_CHANGES)}, not {change!r}")
    kind = SESSION_CHANGES[change]
    context = session_context(session)
    recipient_ids = Enrolment.objects.filter(
        session_recipients_q(session_ref=session.pk),
        course_id=session.course_id, status=Enrolment.Status.ENROLLED,
    ).values_list("user_id", flat=True)
    offered = outgoing_messages_record(messages=[
        OutgoingMessage(recipient_id=user_id, kind=kind, object_key=f"session:{session.pk}",
                        occurrence=session_change_occurrence(session), context=context)
        for user_id in recipient_ids])
    transaction.on_commit(outgoing_messages_dispatch)
    return offered
