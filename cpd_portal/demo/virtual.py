"""Last week's Medical Grand Rounds, held in the auditorium and on Zoom: two colleagues checked
in in the room, the rest joined the Zoom meeting (one re-joined after a ward call, one by the
meeting's generic link), and two participants wait in the director's review list.

The meeting report is applied through the same service a pull uses (recorded as a pull), so the
roster shows each learner's minutes and source as it would after a real meeting; the portal has
no Zoom app in the demo, so nothing is pulled or registered.
"""
import datetime

from credits.virtual.intervals import JoinRow
from credits.virtual.models import VirtualMeeting
from credits.virtual.services import meeting_report_record, virtual_meeting_link

from .activities import activity_find, sessions_of
from .catalog import GRAND_ROUNDS
from .context import Demo, Plan
from .learners import checked_in, enrolled

MEETING_ID = "84529016633"
IN_ROOM, ON_ZOOM = 2, 6
# Minutes after the start each Zoom learner joined and left; a second pair is a re-join.
ZOOM_TIMES = [((0, 60),), ((-4, 22), (31, 60)), ((2, 60),), ((0, 38),), ((10, 60),),
              ((0, 47), (5, 55))]
GUESTS = [("iPhone", "", (3, 52)), ("Dr Amara Ibrahim (visiting)", "a.ibrahim@uni.example",
                                    (0, 60))]


def plan(demo: Demo) -> Plan:
    return Plan(notes=("Last week's Medical Grand Rounds linked to a Zoom meeting, its "
                       "participant report applied: minutes per learner and a review list",))


def _last_held_session(demo: Demo):
    course = activity_find(demo, GRAND_ROUNDS)
    held = [session for session in sessions_of(course) if session.ends_at < demo.now]
    return held[-1] if held else None


def _at(session, minute: int) -> datetime.datetime:
    return session.starts_at + datetime.timedelta(minutes=minute)


def seed(demo: Demo) -> None:
    session = _last_held_session(demo)
    if session is None or VirtualMeeting.objects.filter(session=session).exists():
        return
    learners = demo.colleagues[:IN_ROOM + ON_ZOOM]
    for learner in learners:
        enrolled(learner, session.course, at=session.starts_at - datetime.timedelta(days=10))
    for learner in learners[:IN_ROOM]:
        checked_in(learner, session)
    meeting = virtual_meeting_link(session=session, provider="zoom", meeting_id=MEETING_ID,
                                   actor=demo.educator,
                                   join_url=f"https://zoom.us/j/{MEETING_ID}")
    rows = [JoinRow(registrant_id="", email=learner.email.upper() if index == 2
                    else learner.email, name=learner.full_name, user_id="",
                    joined_at=_at(session, start), left_at=_at(session, end))
            for index, (learner, times) in enumerate(zip(learners[IN_ROOM:], ZOOM_TIMES,
                                                         strict=True))
            for start, end in times]
    rows += [JoinRow(registrant_id="", email=email, name=name, user_id="",
                     joined_at=_at(session, start), left_at=_at(session, end))
             for name, email, (start, end) in GUESTS]
    meeting_report_record(meeting=meeting, rows=rows, reason="demo")
