"""Teams attendance end to end against a local stand-in for Microsoft Graph: a director links
an online meeting, the beat tick pulls its attendance report once the session has ended (Teams
sends no webhook the portal uses), intervals merge, learners match by email, a 503 is recorded
and retried, and a second pull changes nothing."""
from decimal import Decimal

import pytest
from django.urls import reverse

from credits.ledger.selectors import claim_status_for
from credits.models import Attendance
from credits.virtual import services
from credits.virtual.models import ReportPull, UnmatchedParticipant
from credits.virtual.tasks import virtual_meeting_pull, virtual_meetings_tick
from tests.credits.virtual import graph_server
from tests.credits.virtual.conftest import TEAMS_MEETING
from tests.credits.virtual.world import at, hybrid_session
from tests.factories import AttendanceFactory

pytestmark = pytest.mark.django_db
MEETING = TEAMS_MEETING


@pytest.fixture
def linked(graph, educator):
    session, people = hybrid_session(educator)
    meeting = services.virtual_meeting_link(
        session=session, provider="teams", meeting_id=MEETING, actor=educator,
        organizer_id=graph_server.ORGANIZER_ID,
        join_url="https://teams.microsoft.example/l/meetup-join/19%3ameeting")
    return meeting, people


def test_a_teams_meeting_with_four_attendees_is_pulled_by_the_beat_tick(
        client, graph, linked, educator, monkeypatch):
    meeting, people = linked
    session = meeting.session
    AttendanceFactory(session=session, user=people[7], source="check_in")
    graph.attendee(MEETING, name="Learner 0", email=people[0].email,
                   intervals=[(at(session, 0), at(session, 20)),
                              (at(session, 30), at(session, 60))])  # 50 minutes
    graph.attendee(MEETING, name="Learner 1", email=people[1].email.title(),
                   intervals=[(at(session, 0), at(session, 45)),
                              (at(session, 10), at(session, 50))])  # overlap: 50 minutes
    graph.attendee(MEETING, name="Learner 2", email=people[2].email,
                   intervals=[(at(session, -10), at(session, 75))])  # whole session: 60
    graph.attendee(MEETING, name="Visiting fellow", email="fellow@university.example",
                   intervals=[(at(session, 0), at(session, 60))])
    queued = []
    monkeypatch.setattr(virtual_meeting_pull, "delay",
                        lambda *args: queued.append(args))
    assert virtual_meetings_tick.apply().get() == {"registrants": 0, "pulls": 1}
    assert queued == [(meeting.pk, "scheduled")]
    assert virtual_meeting_pull.apply(args=queued[0]).get() == "done"

    minutes = dict(Attendance.objects.filter(session=session, source="teams")
                   .values_list("user_id", "minutes_attended"))
    assert minutes == {people[0].pk: 50, people[1].pk: 50, people[2].pk: 60}
    assert Attendance.objects.filter(session=session).count() == 4
    [fellow] = UnmatchedParticipant.objects.all()
    assert fellow.email == "fellow@university.example"
    assert claim_status_for(user=people[0], course=session.course).options[0].maximum == \
        Decimal("0.75")
    client.force_login(educator)
    assert "50 of 60 min" in client.get(reverse("attendance:roster", args=[session.pk])).text

    before = list(Attendance.objects.filter(session=session).values_list("pk", "updated_at"))
    virtual_meeting_pull.apply(args=[meeting.pk, "repull"]).get()
    assert list(Attendance.objects.filter(session=session).values_list(
        "pk", "updated_at")) == before


def test_graph_answering_503_is_recorded_and_retried_never_duplicating(graph, linked):
    meeting, people = linked
    session = meeting.session
    graph.attendee(MEETING, name="Learner 0", email=people[0].email,
                   intervals=[(at(session, 0), at(session, 60))])
    graph.fail_next(503, retry_after=1)
    assert virtual_meeting_pull.apply(args=[meeting.pk, "scheduled"]).get() == "done"
    graph.fail_next(429, retry_after=2)
    virtual_meeting_pull.apply(args=[meeting.pk, "repull"]).get()
    outcomes = list(ReportPull.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["retrying", "done", "retrying", "done"]
    assert "503" in ReportPull.objects.order_by("pk").first().error
    assert Attendance.objects.filter(session=session).count() == 1


def test_an_unknown_teams_meeting_is_recorded_as_failed(graph, educator):
    session, _ = hybrid_session(educator, learners=1)
    meeting = services.virtual_meeting_link(session=session, provider="teams",
                                            meeting_id="nope", actor=educator,
                                            organizer_id=graph_server.ORGANIZER_ID)
    pull = services.meeting_report_pull_now(meeting_id=meeting.pk, reason="scheduled")
    assert pull.outcome == "failed" and "404" in pull.error
