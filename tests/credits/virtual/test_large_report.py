"""A 1,000-participant Zoom report (800 registered learners, half of them re-joining once, and
200 guests) is pulled, merged and matched in a fixed number of queries; the figures go in
docs/virtual-attendance.md."""
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from courses.models import Enrolment
from credits.models import Attendance
from credits.virtual import services
from credits.virtual.models import MeetingRegistrant, VirtualMeeting
from tests.credits.virtual.conftest import ZOOM_MEETING as MEETING
from tests.credits.virtual.world import at, hybrid_session

pytestmark = pytest.mark.django_db
LEARNERS, GUESTS = 800, 200


def test_a_1000_participant_report_is_pulled_and_matched_in_a_fixed_number_of_queries(
        zoom, educator):
    session, _ = hybrid_session(educator, learners=0)
    users = User.objects.bulk_create([User(email=f"clinician{i}@hospital.example",
                                           full_name=f"Clinician {i}") for i in range(LEARNERS)])
    Enrolment.objects.bulk_create([Enrolment(course=session.course, user=user,
                                             status=Enrolment.Status.ENROLLED) for user in users])
    meeting = VirtualMeeting.objects.create(session=session, provider="zoom",
                                            meeting_id=MEETING, linked_by=educator)
    MeetingRegistrant.objects.bulk_create([MeetingRegistrant(
        meeting=meeting, user=user, status="registered", registrant_id=f"r{user.pk}",
        join_url=f"https://zoom.example/w/{MEETING}?tk=r{user.pk}") for user in users])
    for index, user in enumerate(users):
        if index % 2:  # dropped out and re-joined: two rows
            zoom.participant_join(MEETING, name=user.full_name, email=user.email,
                                  registrant_id=f"r{user.pk}", joined=at(session, 0),
                                  left=at(session, 20))
            zoom.participant_join(MEETING, name=user.full_name, email=user.email,
                                  registrant_id=f"r{user.pk}", joined=at(session, 25),
                                  left=at(session, 60))
        else:
            zoom.participant_join(MEETING, name=user.full_name, email=user.email,
                                  registrant_id=f"r{user.pk}", joined=at(session, 0),
                                  left=at(session, 60))
    for index in range(GUESTS):
        zoom.participant_join(MEETING, name=f"Guest {index}", joined=at(session, 0),
                              left=at(session, 45))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        pull = services.meeting_report_pull_now(meeting_id=meeting.pk, reason="director")
    seconds = time.perf_counter() - started
    print(f"\n1,000 participants ({pull.participant_rows} rows): {seconds:.2f} s, "
          f"{len(queries)} queries")
    assert (pull.matched, pull.unmatched, pull.attendance_written) == (LEARNERS, GUESTS,
                                                                       LEARNERS)
    assert Attendance.objects.filter(session=session, minutes_attended=55).count() == 400
    assert len(queries) <= 20
