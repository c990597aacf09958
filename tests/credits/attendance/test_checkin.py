"""Check-in with the code in the room: window, enrolment, walk-ins, rotation, rate limit."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import checkin
from credits.attendance.services import attendance_check_in
from credits.models import Attendance
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

START = datetime.datetime(2026, 11, 24, 12, 30, tzinfo=datetime.UTC)  # 07:30 in Boston
END = START + datetime.timedelta(hours=1)


@pytest.fixture
def session(db):
    return SessionFactory(starts_at=START, ends_at=END)


@pytest.fixture
def enrolled(clinician, session):
    EnrolmentFactory(user=clinician, course=session.course)
    return clinician


def _error_code(**kwargs):
    with pytest.raises(ValidationError) as raised:
        attendance_check_in(**kwargs)
    return raised.value.code


def test_check_in_opens_fifteen_minutes_before_the_start(enrolled, session):
    opens = START - datetime.timedelta(minutes=15)
    assert _error_code(user=enrolled, code=session.checkin_code,
                       at=opens - datetime.timedelta(seconds=1)) == "too_early"
    result = attendance_check_in(user=enrolled, code=session.checkin_code, at=opens)
    assert not result.already_checked_in
    attendance = Attendance.objects.get(session=session, user=enrolled)
    assert (attendance.status, attendance.source) == ("present", "check_in")
    assert attendance.checked_in_at == opens


def test_check_in_closes_two_hours_after_the_end(enrolled, session):
    closes = END + datetime.timedelta(hours=2)
    assert _error_code(user=enrolled, code=session.checkin_code,
                       at=closes + datetime.timedelta(seconds=1)) == "too_late"
    attendance_check_in(user=enrolled, code=session.checkin_code, at=closes)
    assert Attendance.objects.filter(session=session, user=enrolled).exists()


def test_too_early_message_says_when_check_in_opens(enrolled, session):
    with pytest.raises(ValidationError) as raised:
        attendance_check_in(user=enrolled, code=session.checkin_code,
                            at=START - datetime.timedelta(hours=1))
    assert "opens at Tue 24 Nov, 07:15 EST" in raised.value.messages[0]


def test_window_follows_the_settings(enrolled, session, settings):
    settings.CHECKIN_OPENS_BEFORE_MINUTES = 60
    attendance_check_in(user=enrolled, code=session.checkin_code,
                        at=START - datetime.timedelta(minutes=59))
    assert Attendance.objects.filter(session=session, user=enrolled).exists()


def test_second_check_in_is_a_friendly_no_op(enrolled, session):
    first = attendance_check_in(user=enrolled, code=session.checkin_code, at=START)
    again = attendance_check_in(user=enrolled, code=session.checkin_code.lower(),
                                at=START + datetime.timedelta(minutes=5))
    assert again.already_checked_in
    assert again.attendance.pk == first.attendance.pk
    assert again.attendance.checked_in_at == START
    assert Attendance.objects.filter(session=session).count() == 1


def test_clinician_not_enrolled_is_turned_away_unless_the_course_takes_walk_ins(
        clinician, session):
    assert _error_code(user=clinician, code=session.checkin_code, at=START) == "not_enrolled"
    session.course.allows_walk_ins = True
    session.course.save()
    attendance_check_in(user=clinician, code=session.checkin_code, at=START)
    assert Attendance.objects.filter(session=session, user=clinician).exists()


def test_waitlisted_clinician_is_not_enrolled(clinician, session):
    EnrolmentFactory(user=clinician, course=session.course, status="waitlisted",
                     waitlist_position=1)
    assert _error_code(user=clinician, code=session.checkin_code, at=START) == "not_enrolled"


def test_wrong_code_is_refused_and_repeated_wrong_codes_are_rate_limited(
        enrolled, session, settings):
    settings.CHECKIN_WRONG_CODE_LIMIT = 3
    for _ in range(3):
        assert _error_code(user=enrolled, code="ZZZZZZ", at=START) == "wrong_code"
    # Even the right code waits once the limit is reached.
    assert _error_code(user=enrolled, code=session.checkin_code, at=START) == "rate_limited"


def test_cancelled_session_takes_no_check_ins(enrolled, session):
    session.is_cancelled = True
    session.save()
    assert _error_code(user=enrolled, code=session.checkin_code, at=START) == "cancelled"


def test_clinician_marked_absent_who_checks_in_becomes_present(enrolled, session):
    Attendance.objects.create(session=session, user=enrolled, status="absent", source="roster")
    result = attendance_check_in(user=enrolled, code=session.checkin_code, at=START)
    assert not result.already_checked_in
    assert result.attendance.status == "present"


@pytest.fixture
def rotating(enrolled, session):
    session.checkin_code_rotates = True
    session.save()
    return session


def test_rotating_code_of_the_previous_step_is_accepted(enrolled, rotating, settings):
    step = settings.CHECKIN_CODE_STEP_SECONDS
    shown = checkin.current_code(rotating, START)
    attendance_check_in(user=enrolled, code=shown, at=START + datetime.timedelta(seconds=step))
    assert Attendance.objects.filter(session=rotating, user=enrolled).exists()


def test_rotating_code_two_steps_old_is_refused(enrolled, rotating, settings):
    step = settings.CHECKIN_CODE_STEP_SECONDS
    shown = checkin.current_code(rotating, START)
    assert _error_code(user=enrolled, code=shown,
                       at=START + datetime.timedelta(seconds=2 * step)) == "wrong_code"


def test_rotating_session_refuses_its_fixed_code(enrolled, rotating):
    assert checkin.current_code(rotating, START) != rotating.checkin_code
    assert _error_code(user=enrolled, code=rotating.checkin_code, at=START) == "wrong_code"


def test_rotating_codes_use_the_unambiguous_alphabet(rotating):
    codes = {checkin.rotating_code(rotating.checkin_secret, step) for step in range(200)}
    assert len(codes) > 190
    assert all(checkin.is_well_formed(code) for code in codes)


# --- pages ---------------------------------------------------------------------------------

@pytest.fixture
def open_session(clinician):
    from django.utils import timezone

    now = timezone.now()
    session = SessionFactory(starts_at=now - datetime.timedelta(minutes=5),
                             ends_at=now + datetime.timedelta(minutes=55))
    EnrolmentFactory(user=clinician, course=session.course)
    return session


def test_typed_code_checks_in_and_says_so(client, clinician, open_session):
    client.force_login(clinician)
    response = client.post(reverse("attendance:checkin"),
                           {"code": open_session.checkin_code}, follow=True)
    assert "You&#x27;re checked in to" in response.content.decode()
    again = client.post(reverse("attendance:checkin"),
                        {"code": open_session.checkin_code}, follow=True)
    assert "You&#x27;re already checked in to" in again.content.decode()


def test_scanned_code_asks_for_one_tap_before_recording(client, clinician, open_session):
    client.force_login(clinician)
    url = reverse("attendance:checkin_scanned", args=[open_session.checkin_code])
    response = client.get(url)
    assert open_session.course.title in response.content.decode()
    assert not Attendance.objects.exists()
    client.post(url)
    assert Attendance.objects.get().user == clinician


def test_wrong_code_shows_the_error_next_to_the_field(client, clinician, open_session):
    client.force_login(clinician)
    response = client.post(reverse("attendance:checkin"), {"code": "ZZZZZZ"})
    assert response.status_code == 200
    assert "is not the code of a session" in response.content.decode()
    assert not Attendance.objects.exists()


def test_checkin_display_shows_code_and_a_qr_to_the_absolute_url(client, educator, settings):
    course = CourseFactory(directors=[educator])
    session = SessionFactory(course=course)
    client.force_login(educator)
    response = client.get(reverse("attendance:checkin_display", args=[session.pk]))
    body = response.content.decode()
    assert session.checkin_code in body
    assert "<svg" in body
    assert f"{settings.SITE_URL}/checkin/{session.checkin_code}/" in body


def test_rotating_display_refreshes_itself_with_a_partial(client, educator):
    course = CourseFactory(directors=[educator])
    session = SessionFactory(course=course, checkin_code_rotates=True)
    client.force_login(educator)
    url = reverse("attendance:checkin_display", args=[session.pk])
    assert 'hx-trigger="every 30s"' in client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    from django.utils import timezone
    assert checkin.current_code(session, timezone.now()) in partial


def test_educator_who_does_not_direct_the_course_gets_404(client, educator):
    session = SessionFactory()
    client.force_login(educator)
    assert client.get(reverse("attendance:checkin_display", args=[session.pk])).status_code == 404


def test_scanned_code_before_the_window_explains_when_it_opens(client, clinician):
    from django.utils import timezone

    session = SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=2),
                             ends_at=timezone.now() + datetime.timedelta(hours=3))
    EnrolmentFactory(user=clinician, course=session.course)
    client.force_login(clinician)
    response = client.post(reverse("attendance:checkin_scanned", args=[session.checkin_code]))
    assert response.status_code == 200
    assert "Check-in for" in response.content.decode()
    assert "opens at" in response.content.decode()
    assert not Attendance.objects.exists()


def test_scanning_a_rotating_code_checks_in(client, clinician):
    from django.utils import timezone

    now = timezone.now()
    session = SessionFactory(starts_at=now - datetime.timedelta(minutes=5),
                             ends_at=now + datetime.timedelta(minutes=55),
                             checkin_code_rotates=True)
    EnrolmentFactory(user=clinician, course=session.course)
    client.force_login(clinician)
    code = checkin.current_code(session, now)
    client.post(reverse("attendance:checkin_scanned", args=[code]))
    assert Attendance.objects.get().session == session
