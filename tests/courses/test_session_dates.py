"""The session dates stored on each course follow its sessions, and the catalog reads them."""
import datetime

import pytest
from django.utils import timezone

from courses.models import Course
from courses.selectors.catalog import course_catalog_list
from courses.session_dates import course_session_dates_sweep
from courses.tasks import course_session_dates_tick
from tests.factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _session(course, starts_in: datetime.timedelta, **fields):
    starts_at = timezone.now() + starts_in
    return SessionFactory(course=course, starts_at=starts_at, ends_at=starts_at + HOUR, **fields)


def _stored(course) -> tuple:
    course.refresh_from_db()
    return course.next_session_starts_at, course.sessions_end_at


def test_saving_cancelling_and_deleting_sessions_keeps_the_dates():
    course = CourseFactory()
    assert _stored(course) == (None, None)
    later = _session(course, datetime.timedelta(days=9))
    sooner = _session(course, datetime.timedelta(days=2))
    assert _stored(course) == (sooner.starts_at, later.ends_at)

    sooner.is_cancelled = True
    sooner.save()
    assert _stored(course) == (later.starts_at, later.ends_at)

    later.delete()
    assert _stored(course) == (None, None)


def test_saving_a_course_loaded_before_its_sessions_keeps_the_dates():
    course = CourseFactory()
    session = _session(course, datetime.timedelta(days=2))
    course.title = "Renamed"  # this instance still holds the dates from before the session
    course.save()
    assert _stored(course) == (session.starts_at, session.ends_at)


def test_a_course_leaves_the_catalog_when_its_last_session_ends():
    course = CourseFactory()
    session = _session(course, datetime.timedelta(days=1))
    assert course in course_catalog_list()
    assert course not in course_catalog_list(now=session.ends_at + datetime.timedelta(minutes=1))


def test_the_sweep_moves_the_next_session_on_once_it_has_started():
    course = CourseFactory()
    first = _session(course, datetime.timedelta(minutes=30))
    second = _session(course, datetime.timedelta(days=7))
    during_first = first.starts_at + datetime.timedelta(minutes=5)

    assert course_session_dates_sweep(now=first.starts_at - datetime.timedelta(minutes=1)) == 0
    assert course_session_dates_sweep(now=during_first) == 1
    assert _stored(course) == (second.starts_at, second.ends_at)
    assert course_session_dates_sweep(now=during_first) == 0  # nothing left to move on


def test_the_beat_task_runs_the_sweep():
    course = CourseFactory()
    past = _session(course, -datetime.timedelta(days=1))
    Course.objects.filter(pk=course.pk).update(next_session_starts_at=past.starts_at)
    assert course_session_dates_tick.apply().get() == {"moved_on": 1}
    assert _stored(course) == (None, past.ends_at)


def test_the_catalog_sorts_by_the_stored_next_session():
    later, sooner, undated = CourseFactory(title="A later"), CourseFactory(title="B sooner"), \
        CourseFactory(title="C enduring", format=Course.Format.ENDURING)
    _session(later, datetime.timedelta(days=20))
    _session(sooner, datetime.timedelta(days=3))
    assert list(course_catalog_list()) == [sooner, later, undated]
    assert course_catalog_list()[0].next_starts_at == sooner.sessions.get().starts_at
