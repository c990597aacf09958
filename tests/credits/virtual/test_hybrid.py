"""A hybrid grand-rounds session streamed on Zoom and Teams at once, against the local
stand-ins for both: three learners check in in the room, five people join the Zoom meeting (one
re-joining three times, one by the generic link matched only by email, one nobody knows), four
join the Teams meeting; the worker pulls both reports, the roster shows each learner's minutes
and source, the claim caps at them, and a second meeting.ended and second pulls change nothing."""
from decimal import Decimal

import pytest
from django.urls import reverse

from credits.ledger.selectors import claim_status_for
from credits.models import Attendance
from credits.virtual import services
from credits.virtual.models import UnmatchedParticipant
from credits.virtual.tasks import (
    meeting_registrants_register,
    virtual_meeting_pull,
    virtual_meetings_tick,
)
from tests.credits.virtual import graph_server, zoom_server
from tests.credits.virtual.conftest import TEAMS_MEETING, ZOOM_MEETING
from tests.credits.virtual.world import at, held, hybrid_session
from tests.factories import AttendanceFactory

pytestmark = pytest.mark.django_db


def _meeting_ended(client):
    body, headers = zoom_server.signed_event("meeting.ended", {
        "account_id": zoom_server.ACCOUNT_ID, "object": {"id": ZOOM_MEETING,
                                                         "topic": "Grand rounds"}})
    return client.post(reverse("virtual:zoom_webhook"), body, content_type="application/json",
                       **headers)


def test_a_session_on_zoom_and_teams_with_room_check_ins_counts_each_learner_once(
        client, zoom, graph, educator, monkeypatch, django_capture_on_commit_callbacks):
    session, people = hybrid_session(educator, learners=9, hours_ago=-24 * 7)
    on_zoom = services.virtual_meeting_link(session=session, provider="zoom",
                                            meeting_id=ZOOM_MEETING, actor=educator,
                                            join_url="https://zoom.example/j/84512345678")
    meeting_registrants_register.apply(args=[on_zoom.pk]).get()
    on_teams = services.virtual_meeting_link(
        session=session, provider="teams", meeting_id=TEAMS_MEETING, actor=educator,
        organizer_id=graph_server.ORGANIZER_ID)
    held(session)
    in_room, rejoined, generic, zoom_and_teams, whole, teams_a, teams_b = (
        people[0:3], people[3], people[4], people[5], people[6], people[7], people[8])
    for person in in_room:
        AttendanceFactory(session=session, user=person, source="check_in",
                          checked_in_at=at(session, 2))
    reg = {person: zoom.registrant_id_for(ZOOM_MEETING, person.email) for person in people}
    for start, end in [(0, 10), (15, 25), (30, 50)]:
        zoom.participant_join(ZOOM_MEETING, name="Learner 3", email=rejoined.email,
                              registrant_id=reg[rejoined], joined=at(session, start),
                              left=at(session, end))
    zoom.participant_join(ZOOM_MEETING, name="L4", email=generic.email.upper(),
                          joined=at(session, -5), left=at(session, 70))
    zoom.participant_join(ZOOM_MEETING, name="Learner 5", email=zoom_and_teams.email,
                          registrant_id=reg[zoom_and_teams], joined=at(session, 5),
                          left=at(session, 35))
    zoom.participant_join(ZOOM_MEETING, name="Learner 6", email=whole.email,
                          registrant_id=reg[whole], joined=at(session, 0), left=at(session, 60))
    zoom.participant_join(ZOOM_MEETING, name="iPhone de Marta", joined=at(session, 0),
                          left=at(session, 45))
    graph.attendee(TEAMS_MEETING, name="Learner 7", email=teams_a.email,
                   intervals=[(at(session, 0), at(session, 20)),
                              (at(session, 30), at(session, 60))])
    graph.attendee(TEAMS_MEETING, name="Learner 8", email=teams_b.email.title(),
                   intervals=[(at(session, 0), at(session, 45))])
    # Moved from Zoom to Teams when the Zoom client failed: the longer stay counts.
    graph.attendee(TEAMS_MEETING, name="Learner 5", email=zoom_and_teams.email,
                   intervals=[(at(session, 0), at(session, 50))])
    graph.attendee(TEAMS_MEETING, name="Visiting fellow", email="fellow@university.example",
                   intervals=[(at(session, 0), at(session, 60))])

    with django_capture_on_commit_callbacks():
        assert _meeting_ended(client).status_code == 200
    assert virtual_meeting_pull.apply(args=[on_zoom.pk, "meeting.ended"]).get() == "done"
    queued = []
    monkeypatch.setattr(virtual_meeting_pull, "delay", lambda *args: queued.append(args))
    virtual_meetings_tick.apply().get()
    assert queued == [(on_teams.pk, "scheduled")]  # Teams sends no webhook: the tick pulls it
    assert virtual_meeting_pull.apply(args=queued[0]).get() == "done"

    rows = {a.user_id: (a.source, a.minutes_attended)
            for a in Attendance.objects.filter(session=session)}
    assert rows == {
        **{person.pk: ("check_in", None) for person in in_room},
        rejoined.pk: ("zoom", 40), generic.pk: ("zoom", 60), whole.pk: ("zoom", 60),
        zoom_and_teams.pk: ("teams", 50), teams_a.pk: ("teams", 50), teams_b.pk: ("teams", 45)}
    assert sorted(UnmatchedParticipant.objects.values_list("meeting__provider", "name")) == [
        ("teams", "Visiting fellow"), ("zoom", "iPhone de Marta")]

    client.force_login(educator)
    roster = client.get(reverse("attendance:roster", args=[session.pk])).text
    assert "40 of 60 min" in roster and "45 of 60 min" in roster
    meeting_page = client.get(reverse("virtual:meeting", args=[session.pk])).text
    assert ZOOM_MEETING in meeting_page and TEAMS_MEETING in meeting_page
    assert "Link a meeting" not in meeting_page  # both services are linked
    caps = {person: claim_status_for(user=person, course=session.course).options[0].maximum
            for person in (in_room[0], rejoined, teams_b, whole)}
    assert caps == {in_room[0]: Decimal("1.00"), rejoined: Decimal("0.75"),
                    teams_b: Decimal("0.75"), whole: Decimal("1.00")}

    before = list(Attendance.objects.filter(session=session).order_by("pk")
                  .values_list("pk", "updated_at"))
    with django_capture_on_commit_callbacks(execute=False):
        assert _meeting_ended(client).status_code == 200  # a second delivery
    for meeting in (on_zoom, on_teams):
        virtual_meeting_pull.apply(args=[meeting.pk, "repull"]).get()
    assert list(Attendance.objects.filter(session=session).order_by("pk")
                .values_list("pk", "updated_at")) == before
    assert UnmatchedParticipant.objects.count() == 2
