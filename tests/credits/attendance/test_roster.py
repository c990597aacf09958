"""The educator's roster: present/absent, minutes for partial attendance, mark all present."""
import datetime

import pytest
from django.urls import reverse

from credits.models import Attendance
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory, UserFactory

START = datetime.datetime(2026, 11, 24, 12, 30, tzinfo=datetime.UTC)


@pytest.fixture
def session(educator):
    course = CourseFactory(directors=[educator])
    return SessionFactory(course=course, starts_at=START,
                          ends_at=START + datetime.timedelta(minutes=90))


def _enrol(session, count):
    return [EnrolmentFactory(course=session.course).user for _ in range(count)]


def test_roster_lists_enrolled_clinicians_and_walk_ins(client, educator, session):
    enrolled = _enrol(session, 2)
    walk_in = UserFactory(full_name="Walk In")
    Attendance.objects.create(session=session, user=walk_in, source="check_in")
    cancelled = EnrolmentFactory(course=session.course, status="cancelled").user
    client.force_login(educator)
    body = client.get(reverse("attendance:roster", args=[session.pk])).content.decode()
    for user in [*enrolled, walk_in]:
        assert user.email in body
    assert cancelled.email not in body
    assert "Walk-in" in body


def test_saving_the_roster_records_source_roster_and_who_recorded_it(client, educator, session):
    present, partial, absent = _enrol(session, 3)
    client.force_login(educator)
    response = client.post(reverse("attendance:roster", args=[session.pk]), {
        f"present_{present.pk}": "on",
        f"present_{partial.pk}": "on", f"minutes_{partial.pk}": "45",
    })
    assert response.status_code == 302
    records = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    assert records[present.pk].status == "present"
    assert records[present.pk].minutes_attended is None
    assert records[partial.pk].minutes_attended == 45
    assert records[absent.pk].status == "absent"
    assert {a.source for a in records.values()} == {"roster"}
    assert {a.recorded_by_id for a in records.values()} == {educator.pk}


def test_unchanged_check_in_keeps_its_source_when_the_roster_is_saved(
        client, educator, session):
    checked_in, other = _enrol(session, 2)
    Attendance.objects.create(session=session, user=checked_in, source="check_in",
                              checked_in_at=START)
    client.force_login(educator)
    client.post(reverse("attendance:roster", args=[session.pk]),
                {f"present_{checked_in.pk}": "on"})
    assert Attendance.objects.get(user=checked_in).source == "check_in"
    assert Attendance.objects.get(user=other).status == "absent"


def test_mark_all_present(client, educator, session):
    people = _enrol(session, 3)
    client.force_login(educator)
    client.post(reverse("attendance:roster", args=[session.pk]), {"mark_all_present": "1"})
    assert set(Attendance.objects.filter(session=session, status="present")
               .values_list("user_id", flat=True)) == {u.pk for u in people}


def test_minutes_longer_than_the_session_are_refused(client, educator, session):
    (person,) = _enrol(session, 1)
    client.force_login(educator)
    response = client.post(reverse("attendance:roster", args=[session.pk]), {
        f"present_{person.pk}": "on", f"minutes_{person.pk}": "91"})
    assert response.status_code == 200
    assert "less than or equal to 90" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("clinicians", [1, 50])
def test_roster_query_count_does_not_grow_with_the_roster(
        client, educator, session, clinicians, django_assert_num_queries):
    people = _enrol(session, clinicians)
    for person in people[::2]:
        Attendance.objects.create(session=session, user=person, source="check_in")
    client.force_login(educator)
    client.get(reverse("attendance:roster", args=[session.pk]))  # warm the session
    # sign-in session, user, user's groups, MFA check, the session, enrolments, attendances,
    # and whether the session has a Zoom or Teams meeting (its tab, with neither configured)
    with django_assert_num_queries(8):
        response = client.get(reverse("attendance:roster", args=[session.pk]))
    assert response.status_code == 200
