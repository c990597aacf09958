"""Credit by minutes: every source of attendance counts through one rule, the roster shows the
minutes and their source, the claim caps at them and says why, and a director's override is
audited."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from credits.attendance.minutes import attended_minutes
from credits.attendance.services import attendance_override
from credits.ledger.selectors import claim_status_for
from credits.models import Attendance, AttendanceChange
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    CreditDesignationFactory,
    EnrolmentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(educator):
    course = CourseFactory(directors=[educator], evaluation_required=False)
    starts_at = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    session = SessionFactory(course=course, starts_at=starts_at,
                             ends_at=starts_at + datetime.timedelta(minutes=60))
    CreditDesignationFactory(course=course, max_credits=Decimal("1.00"))
    return session


@pytest.mark.parametrize(("source", "minutes", "checked_in_after", "counted"), [
    ("check_in", None, 5, 60),      # on time: the whole session
    ("check_in", None, 40, 20),     # late: from check-in to the end
    ("roster", None, None, 60),     # the director's "whole session"
    ("import", 35, None, 35),
    ("zoom", 52, None, 52),
    ("teams", 47, None, 47),
    ("roster", 50, 40, 50),         # the director's minutes override a late check-in
])
def test_every_source_counts_through_one_rule(session, clinician, source, minutes,
                                              checked_in_after, counted):
    checked_in_at = (session.starts_at + datetime.timedelta(minutes=checked_in_after)
                     if checked_in_after is not None else None)
    attendance = AttendanceFactory(session=session, user=clinician, source=source,
                                   minutes_attended=minutes, checked_in_at=checked_in_at)
    assert attended_minutes(attendance).minutes == counted


def test_the_claim_caps_at_zoom_minutes_rounded_to_the_quarter_and_says_why(
        client, session, clinician):
    EnrolmentFactory(user=clinician, course=session.course)
    AttendanceFactory(session=session, user=clinician, source="zoom", minutes_attended=52,
                      checked_in_at=None)
    status = claim_status_for(user=clinician, course=session.course)
    # 52 minutes are 0.87 h: 0.75 to the nearest quarter hour, not the designated 1.00.
    assert (status.minutes_attended, status.options[0].maximum) == (52, Decimal("0.75"))
    assert status.options[0].capped_by_attendance
    client.force_login(clinician)
    page = client.get(reverse("ledger:claim", args=[session.course.slug])).text
    assert "52 minutes, which is 0.75 hours rounded to the nearest quarter hour" in page
    assert "52 of 60 minutes (Zoom; joins and leaves in the meeting report)" in page
    assert "the 52 minutes you attended, rounded to the nearest quarter hour" in page


def test_the_roster_shows_minutes_and_source_for_each_learner(client, educator, session,
                                                            django_assert_num_queries):
    sources = [("check_in", None), ("zoom", 52), ("teams", 41), ("import", 30), ("roster", 15)]
    for source, minutes in sources:
        enrolment = EnrolmentFactory(course=session.course)
        AttendanceFactory(session=session, user=enrolment.user, source=source,
                          minutes_attended=minutes)
    EnrolmentFactory(course=session.course)  # not taken
    client.force_login(educator)
    url = reverse("attendance:roster", args=[session.pk])
    client.get(url)
    with django_assert_num_queries(8):
        # As test_roster pins it: no query per row for the minutes rule.
        page = client.get(url).text
    for text in ["60 of 60 min", "Room check-in: whole session", "52 of 60 min",
                 "Zoom: joins and leaves in the meeting report", "41 of 60 min", "Teams",
                 "30 of 60 min", "Imported report: from the uploaded report", "15 of 60 min",
                 "Director: set by the director"]:
        assert text in page


def test_a_director_overrides_with_a_reason_and_it_is_audited(client, educator, session,
                                                            clinician):
    EnrolmentFactory(user=clinician, course=session.course)
    AttendanceFactory(session=session, user=clinician, source="check_in",
                      checked_in_at=session.starts_at + datetime.timedelta(minutes=45))
    assert claim_status_for(user=clinician, course=session.course).options[0].maximum == \
        Decimal("0.25")
    client.force_login(educator)
    url = reverse("attendance:override", args=[session.pk, clinician.pk])
    refused = client.post(url, {"present": "on", "minutes_attended": "60", "reason": " "})
    assert refused.status_code == 200 and "This field is required" in refused.text
    response = client.post(url, {"present": "on", "minutes_attended": "60",
                                 "reason": "Seen in the room from the start."})
    assert response.status_code == 302
    attendance = Attendance.objects.get(session=session, user=clinician)
    assert (attendance.source, attendance.minutes_attended, attendance.recorded_by) == \
        ("roster", 60, educator)
    [change] = AttendanceChange.objects.filter(attendance=attendance)
    assert change.before["source"] == "check_in" and change.after["minutes_attended"] == 60
    assert (change.actor, change.reason) == (educator, "Seen in the room from the start.")
    assert claim_status_for(user=clinician, course=session.course).options[0].maximum == \
        Decimal("1.00")
    page = client.get(url).text
    assert "present (Room check-in) → present, 60 min (Director)" in page


def test_an_override_needs_a_reason_and_minutes_within_the_session(session, educator,
                                                                  clinician):
    with pytest.raises(ValidationError, match="reason"):
        attendance_override(session=session, user=clinician, present=True,
                            minutes_attended=30, reason="", actor=educator)
    with pytest.raises(ValidationError, match="between 0 and the session's 60"):
        attendance_override(session=session, user=clinician, present=True,
                            minutes_attended=61, reason="typo", actor=educator)
    assert not Attendance.objects.exists()


def test_saving_the_roster_is_audited(client, educator, session):
    learner = EnrolmentFactory(course=session.course).user
    client.force_login(educator)
    client.post(reverse("attendance:roster", args=[session.pk]),
                {f"present_{learner.pk}": "on", f"minutes_{learner.pk}": "45"})
    [change] = AttendanceChange.objects.all()
    assert (change.before, change.after["minutes_attended"], change.reason) == (
        None, 45, "Saved on the roster.")


def test_the_attendance_audit_is_append_only_in_postgresql(session, educator, clinician):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    attendance_override(session=session, user=clinician, present=True, minutes_attended=30,
                        reason="Left for a code blue.", actor=educator)
    change = AttendanceChange.objects.get()
    for statement in ("UPDATE credits_attendancechange SET reason = 'x' WHERE id = %s",
                      "DELETE FROM credits_attendancechange WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [change.pk])
