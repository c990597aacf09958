"""iCalendar (.ics) documents of sessions, built with the icalendar library.

Times are written in UTC (a trailing Z), which every calendar client converts to the reader's
own zone; UIDs are stable per session so a subscribed calendar updates events in place.
"""
import datetime
from collections.abc import Iterable
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from courses.models import Session

PRODUCT_ID = "-//CPD Portal//Courses//EN"


def session_uid(session: Session) -> str:
    host = urlparse(settings.SITE_URL).hostname or "cpd-portal"
    return f"session-{session.pk}@{host}"


def _location(session: Session) -> str:
    if session.location and session.online_url:
        return f"{session.location} / {session.online_url}"
    return session.location or session.online_url


def sessions_calendar(sessions: Iterable[Session], *, name: str) -> bytes:
    """An .ics document with one VEVENT per session (each session's course preloaded)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for session in sessions:
        course = session.course
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
        event.add("dtend", session.ends_at.astimezone(datetime.UTC))
        event.add("summary", session.display_title)
        location = _location(session)
        if location:
            event.add("location", location)
        course_url = f"{settings.SITE_URL}{course.get_absolute_url()}"
        event.add("url", course_url)
        event.add("description", f"{course.summary}\n\n{course_url}")
        calendar.add_component(event)
    return calendar.to_ical()
