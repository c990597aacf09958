"""Credit by minutes and virtual attendance: the director's override of one learner's attendance
and a session's Zoom or Teams meeting page with its review list (its course's directors and the
CME office; everybody else 404), a learner's personal join link (enrolled learners only), and
Zoom's webhook (no session; answered only when Zoom is configured, which the matrix's settings
are not, and then only to a valid signature: tests/credits/virtual/test_zoom.py)."""
from credits.virtual.models import UnmatchedParticipant, VirtualMeeting
from tests.authz_rows import Row, everyone, signed_in
from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

DIRECTORS_AND_OFFICE = {"anonymous": "login", "clinician": 404, "other_clinician": 404,
                        "educator": 200, "administrator": 200}
DIRECTORS_AND_OFFICE_POST = {**DIRECTORS_AND_OFFICE, "educator": "redirect",
                             "administrator": "redirect"}


def objects(world):
    course = CourseFactory(directors=[world["educator"]])
    session = SessionFactory(course=course)
    # The clinician is on the roster: only managing the course opens the override.
    EnrolmentFactory(course=course, user=world["clinician"])
    meeting = VirtualMeeting.objects.create(
        session=session, provider="zoom", meeting_id="84500000001",
        join_url="https://zoom.example/j/84500000001", linked_by=world["educator"])
    unmatched = UnmatchedParticipant.objects.create(meeting=meeting, participant_key="name:guest",
                                                    name="Guest", minutes=30)
    return {"virtual_session": session, "virtual_unmatched": unmatched}


def _session(world):
    return {"session_id": world["virtual_session"].pk}


def _learner(world):
    return {**_session(world), "user_id": world["clinician"].pk}


def _unmatched(world):
    return {**_session(world), "unmatched_id": world["virtual_unmatched"].pk}


ROWS: dict[str, Row] = {
    "educator/sessions/<int:session_id>/roster/<int:user_id>/override/": Row(
        DIRECTORS_AND_OFFICE, kwargs=_learner),
    "educator/sessions/<int:session_id>/meeting/": Row(DIRECTORS_AND_OFFICE, kwargs=_session),
    "educator/sessions/<int:session_id>/meeting/pull/": Row(
        DIRECTORS_AND_OFFICE_POST, method="post", kwargs=_session),
    # Without a learner chosen the link is refused with a message, back on the meeting page.
    "educator/sessions/<int:session_id>/meeting/review/<int:unmatched_id>/link/": Row(
        DIRECTORS_AND_OFFICE_POST, method="post", kwargs=_unmatched),
    "educator/sessions/<int:session_id>/meeting/review/<int:unmatched_id>/dismiss/": Row(
        DIRECTORS_AND_OFFICE_POST, method="post", kwargs=_unmatched),
    # On to the meeting's join link for enrolled learners; nobody else learns it.
    "sessions/<int:session_id>/join/": Row(
        {"anonymous": "login", "clinician": "redirect", "other_clinician": 404,
         "educator": 404, "administrator": 404}, kwargs=_session),
    "webhooks/zoom/": Row(everyone(404), method="post"),
    # Text check-in, hidden while no SMS number is configured (as here); configured, the page
    # is each signed-in learner's own and the webhook needs no session but Twilio's signature
    # (tests/credits/virtual/test_text_checkin.py).
    "profile/phone/": Row(signed_in(404)),
    "webhooks/sms/": Row(everyone(404), method="post"),
}
