"""Private calendar subscription feeds and per-course .ics downloads, parsed back."""
import datetime
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from courses.calendar import session_uid
from courses.models import CalendarFeed, Enrolment
from courses.services.calendar_feed import calendar_feed_regenerate, calendar_feed_revoke
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
BOSTON = zoneinfo.ZoneInfo("America/New_York")


def _events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_every_enrolled_session_with_stable_uids_and_zoned_times(client, clinician):
    rounds = CourseFactory(title="Medical Grand Rounds")
    sessions = [SessionFactory(course=rounds, title=f"Week {week}",
                               starts_at=datetime.datetime(2030, 1, 2 + 7 * week, 12, 0,
                                                           tzinfo=BOSTON),
                               ends_at=datetime.datetime(2030, 1, 2 + 7 * week, 13, 0,
                                                         tzinfo=BOSTON),
                               location="Main Auditorium")
                for week in range(3)]
    workshop = CourseFactory(title="Airway workshop")
    sessions.append(SessionFactory(course=workshop, location="",
                                   online_url="https://video.example.org/airway"))
    SessionFactory(course=workshop, is_cancelled=True)
    not_mine = SessionFactory(course=CourseFactory())
    waitlisted = SessionFactory(course=CourseFactory())
    EnrolmentFactory(user=clinician, course=rounds)
    EnrolmentFactory(user=clinician, course=workshop)
    EnrolmentFactory(user=clinician, course=waitlisted.course,
                     status=Enrolment.Status.WAITLISTED, waitlist_position=1)
    feed = calendar_feed_regenerate(user=clinician)

    first = _events(client.get(feed.get_absolute_url()))
    second = _events(client.get(feed.get_absolute_url()))
    assert set(first) == set(second) == {session_uid(s) for s in sessions}
    assert session_uid(not_mine) not in first
    for session in sessions:
        event = first[session_uid(session)]
        assert event.decoded("DTSTART") == session.starts_at
        assert event.decoded("DTEND") == session.ends_at
        assert event.decoded("DTSTART").tzinfo is not None
        assert str(event["SUMMARY"]) == session.display_title
        assert str(event["LOCATION"]) == (session.location or session.online_url)


def test_revoked_or_unknown_token_answers_404(client, clinician):
    feed = calendar_feed_regenerate(user=clinician)
    calendar_feed_revoke(user=clinician)
    assert client.get(feed.get_absolute_url()).status_code == 404
    assert client.get(reverse("courses:calendar_feed", args=["nope"])).status_code == 404


def test_regenerating_replaces_the_link(client, clinician):
    old = calendar_feed_regenerate(user=clinician)
    new = calendar_feed_regenerate(user=clinician)
    assert old.token != new.token
    assert client.get(old.get_absolute_url()).status_code == 404
    assert client.get(new.get_absolute_url()).status_code == 200
    assert CalendarFeed.objects.filter(user=clinician, revoked_at__isnull=True).count() == 1


def test_calendar_page_creates_shows_and_switches_off_the_link(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("courses:calendar_settings"))
    assert "Create my calendar link" in page.content.decode()
    page = client.post(reverse("courses:calendar_regenerate"), follow=True)
    feed = CalendarFeed.objects.get(user=clinician, revoked_at__isnull=True)
    assert feed.token in page.content.decode()
    client.post(reverse("courses:calendar_revoke"))
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_course_download_carries_each_session(client):
    course = CourseFactory(title="Nursing Skills Day")
    session = SessionFactory(course=course)
    response = client.get(reverse("courses:course_calendar", args=[course.slug]))
    events = _events(response)
    assert list(events) == [session_uid(session)]
    assert events[session_uid(session)].decoded("DTSTART") == session.starts_at
