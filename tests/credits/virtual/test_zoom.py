"""Zoom attendance end to end against a local stand-in for Zoom's API: a director links a
meeting, learners are registered (personal join links), the signed meeting.ended webhook pulls
the participant report, re-joins and overlapping devices merge, learners match by registrant id
then email, the rest wait in the review list, and the claim caps at the minutes."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from credits.ledger.selectors import claim_status_for
from credits.models import Attendance
from credits.virtual import services
from credits.virtual.models import (
    MeetingRegistrant,
    ReportPull,
    UnmatchedParticipant,
    VirtualMeeting,
    WebhookDelivery,
)
from credits.virtual.tasks import meeting_registrants_register, virtual_meeting_pull
from tests.credits.virtual import zoom_server
from tests.credits.virtual.conftest import ZOOM_MEETING
from tests.credits.virtual.world import at, held, hybrid_session
from tests.factories import AttendanceFactory

pytestmark = pytest.mark.django_db
MEETING = ZOOM_MEETING


@pytest.fixture
def linked(zoom, educator):
    # Linked the week before; held three hours ago.
    session, people = hybrid_session(educator, hours_ago=-24 * 7)
    meeting = services.virtual_meeting_link(session=session, provider="zoom",
                                            meeting_id="845 1234 5678", actor=educator,
                                            join_url="https://zoom.example/j/84512345678")
    meeting_registrants_register.apply(args=[meeting.pk]).get()
    held(session)
    meeting.refresh_from_db()
    return meeting, people


def _post_event(client, event, payload, **kwargs):
    body, headers = zoom_server.signed_event(event, payload, **kwargs)
    return client.post(reverse("virtual:zoom_webhook"), body, content_type="application/json",
                       **headers)


def _ended(client, meeting_id=MEETING):
    return _post_event(client, "meeting.ended", {"account_id": zoom_server.ACCOUNT_ID,
                                                 "object": {"id": meeting_id,
                                                            "topic": "Grand rounds"}})


def test_linking_registers_every_enrolled_learner_and_the_join_link_is_personal(
        client, zoom, linked):
    meeting, people = linked
    registrants = MeetingRegistrant.objects.filter(meeting=meeting)
    assert registrants.count() == 8
    assert {r.status for r in registrants} == {"registered"}
    learner = people[0]
    mine = registrants.get(user=learner)
    assert mine.registrant_id == zoom.registrant_id_for(MEETING, learner.email)
    # The course page and the reminder email link to the portal, which sends each learner on.
    meeting.session.refresh_from_db()
    assert meeting.session.online_url.endswith(f"/sessions/{meeting.session_id}/join/")
    client.force_login(learner)
    response = client.get(reverse("virtual:join", args=[meeting.session_id]))
    assert response.status_code == 302 and response.url == mine.join_url
    page = client.get(reverse("courses:detail", args=[meeting.session.course.slug])).text
    assert meeting.session.online_url in page and "Join online" in page
    from courses.reminders import session_context
    assert session_context(meeting.session)["online_url"] == meeting.session.online_url


def test_a_hybrid_session_pulled_on_meeting_ended_shows_the_right_minutes_once(
        client, zoom, linked, django_capture_on_commit_callbacks):
    meeting, people = linked
    session = meeting.session
    in_room = people[5:8]
    for person in in_room:
        AttendanceFactory(session=session, user=person, source="check_in",
                          checked_in_at=at(session, 2))
    rejoined, generic_link, two_devices, partial = people[0:4]
    reg = {person: zoom.registrant_id_for(MEETING, person.email) for person in people}
    for start, end in [(0, 10), (15, 25), (30, 50)]:  # re-joined three times: 40 minutes
        zoom.participant_join(MEETING, name="Learner 0", email=rejoined.email,
                              registrant_id=reg[rejoined], joined=at(session, start),
                              left=at(session, end))
    # Joined by the meeting's generic link: no registrant id, matched by email (any case).
    zoom.participant_join(MEETING, name="L1", email=generic_link.email.upper(),
                          joined=at(session, -5), left=at(session, 70))
    # Laptop and phone at once: the overlap counts once (0-40 and 20-55: 55 minutes).
    zoom.participant_join(MEETING, name="Learner 2", email=two_devices.email,
                          registrant_id=reg[two_devices], joined=at(session, 0),
                          left=at(session, 40))
    zoom.participant_join(MEETING, name="Learner 2 (iPhone)", email=two_devices.email,
                          registrant_id=reg[two_devices], joined=at(session, 20),
                          left=at(session, 55))
    zoom.participant_join(MEETING, name="Learner 3", email=partial.email,
                          registrant_id=reg[partial], joined=at(session, 5),
                          left=at(session, 35))
    zoom.participant_join(MEETING, name="iPhone de Marta", joined=at(session, 0),
                          left=at(session, 45))
    # An in-room learner who also opened Zoom for 10 minutes keeps the room's whole session.
    zoom.participant_join(MEETING, name="Learner 5", email=in_room[0].email,
                          registrant_id=reg[in_room[0]], joined=at(session, 10),
                          left=at(session, 20))

    with django_capture_on_commit_callbacks() as callbacks:
        assert _ended(client).status_code == 200
    # The pull is queued once the delivery is committed.
    assert sum("virtual_meeting_pull" in repr(callback) for callback in callbacks) == 1
    assert virtual_meeting_pull.apply(args=[meeting.pk, "meeting.ended"]).get() == "done"

    rows = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    assert {user_id: (rows[user_id].source, rows[user_id].minutes_attended)
            for user_id in [rejoined.pk, generic_link.pk, two_devices.pk, partial.pk]} == {
        rejoined.pk: ("zoom", 40), generic_link.pk: ("zoom", 60),
        two_devices.pk: ("zoom", 55), partial.pk: ("zoom", 30)}
    assert rows[in_room[0].pk].source == "check_in"
    assert len(rows) == 7
    [unknown] = UnmatchedParticipant.objects.filter(meeting=meeting)
    assert (unknown.name, unknown.minutes, unknown.status) == ("iPhone de Marta", 45, "open")

    client.force_login(meeting.session.course.directors.first())
    roster = client.get(reverse("attendance:roster", args=[session.pk])).text
    assert "40 of 60 min" in roster and "Zoom: joins and leaves in the meeting report" in roster
    # 40 minutes: 0.67 hours, 0.75 to the nearest quarter hour.
    assert claim_status_for(user=rejoined, course=session.course).options[0].maximum == \
        Decimal("0.75")
    assert claim_status_for(user=partial, course=session.course).options[0].maximum == \
        Decimal("0.50")

    before = {a.pk: a.updated_at for a in Attendance.objects.filter(session=session)}
    with django_capture_on_commit_callbacks(execute=False):
        assert _ended(client).status_code == 200  # a second delivery
    virtual_meeting_pull.apply(args=[meeting.pk, "meeting.ended"]).get()
    virtual_meeting_pull.apply(args=[meeting.pk, "repull"]).get()
    assert {a.pk: a.updated_at for a in Attendance.objects.filter(session=session)} == before
    assert UnmatchedParticipant.objects.filter(meeting=meeting).count() == 1
    assert list(ReportPull.objects.filter(meeting=meeting).values_list(
        "outcome", "attendance_written").order_by("pk")) == [
        ("done", 4), ("done", 0), ("done", 0)]
    meeting.refresh_from_db()
    assert meeting.ended_at and meeting.first_pulled_at and meeting.repulled_at


def test_the_director_links_or_dismisses_unmatched_participants(client, zoom, linked,
                                                               educator):
    meeting, people = linked
    session = meeting.session
    zoom.participant_join(MEETING, name="Dr Okafor's iPad", joined=at(session, 0),
                          left=at(session, 50))
    zoom.participant_join(MEETING, name="AV desk", joined=at(session, -20),
                          left=at(session, 65))
    services.meeting_report_pull_now(meeting_id=meeting.pk, reason="director")
    av, ipad = UnmatchedParticipant.objects.order_by("name")
    client.force_login(educator)
    page = client.get(reverse("virtual:meeting", args=[session.pk])).text
    assert "Participants to review" in page and "Dr Okafor&#x27;s iPad" in page
    learner = people[4]
    response = client.post(reverse("virtual:unmatched_link", args=[session.pk, av.pk]),
                           {f"p{av.pk}-user": learner.pk})
    assert response.status_code == 302
    attendance = Attendance.objects.get(session=session, user=learner)
    assert (attendance.source, attendance.minutes_attended) == ("zoom", 60)
    client.post(reverse("virtual:unmatched_dismiss", args=[session.pk, ipad.pk]))
    assert set(UnmatchedParticipant.objects.values_list("status", flat=True)) == {
        "linked", "dismissed"}
    # A later pull keeps both decisions: the link still writes, the dismissal stays.
    services.meeting_report_pull_now(meeting_id=meeting.pk, reason="repull")
    assert set(UnmatchedParticipant.objects.values_list("status", flat=True)) == {
        "linked", "dismissed"}
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_director_override_survives_later_pulls(zoom, linked, educator):
    from credits.attendance.services import attendance_override

    meeting, people = linked
    session = meeting.session
    learner = people[0]
    zoom.participant_join(MEETING, name="L0", email=learner.email, joined=at(session, 0),
                          left=at(session, 20))
    services.meeting_report_pull_now(meeting_id=meeting.pk, reason="meeting.ended")
    attendance_override(session=session, user=learner, present=True, minutes_attended=60,
                        reason="Zoom dropped her; she watched from the ward office.",
                        actor=educator)
    services.meeting_report_pull_now(meeting_id=meeting.pk, reason="repull")
    assert Attendance.objects.get(session=session, user=learner).minutes_attended == 60


@pytest.mark.parametrize("tamper", ["replay", "wrong_signature", "unsigned", "stale"])
def test_a_replayed_unsigned_wrongly_signed_or_stale_webhook_is_refused(client, zoom, linked,
                                                                       tamper):
    body, headers = zoom_server.signed_event(
        "meeting.ended", {"object": {"id": MEETING}},
        timestamp=None if tamper != "stale" else 1_700_000_000)
    url = reverse("virtual:zoom_webhook")
    if tamper == "replay":
        assert client.post(url, body, content_type="application/json",
                           **headers).status_code == 200
    elif tamper == "wrong_signature":
        headers["HTTP_X_ZM_SIGNATURE"] = "v0=" + "0" * 64
    elif tamper == "unsigned":
        headers = {}
    deliveries = WebhookDelivery.objects.count()
    response = client.post(url, body, content_type="application/json", **headers)
    assert response.status_code == (409 if tamper == "replay" else 401)
    assert WebhookDelivery.objects.count() == deliveries
    if tamper != "replay":
        assert VirtualMeeting.objects.get().ended_at is None


def test_url_validation_is_answered_only_when_signed(client, zoom):
    response = _post_event(client, "endpoint.url_validation", {"plainToken": "qgg8vlvZRS6UYo"})
    answer = response.json()
    import hashlib
    import hmac
    assert answer == {"plainToken": "qgg8vlvZRS6UYo", "encryptedToken": hmac.new(
        zoom_server.WEBHOOK_SECRET.encode(), b"qgg8vlvZRS6UYo", hashlib.sha256).hexdigest()}
    # Unsigned, the portal would be a signing oracle for forged events: refused.
    unsigned = client.post(reverse("virtual:zoom_webhook"),
                           b'{"event":"endpoint.url_validation","payload":{"plainToken":"x"}}',
                           content_type="application/json")
    assert unsigned.status_code == 401


def test_zoom_answering_429_then_200_is_recorded_and_retried_without_duplicates(zoom, linked):
    meeting, people = linked
    session = meeting.session
    zoom.participant_join(MEETING, name="L0", email=people[0].email, joined=at(session, 0),
                          left=at(session, 60))
    zoom.fail_next(429, retry_after=1)
    assert virtual_meeting_pull.apply(args=[meeting.pk, "meeting.ended"]).get() == "done"
    assert list(ReportPull.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "retrying", "done"]
    assert "429" in ReportPull.objects.order_by("pk").first().error
    zoom.fail_next(503)
    virtual_meeting_pull.apply(args=[meeting.pk, "repull"]).get()
    assert Attendance.objects.filter(session=session).count() == 1


def test_the_report_is_read_page_by_page(zoom, linked):
    meeting, people = linked
    session = meeting.session
    for index in range(650):
        zoom.participant_join(MEETING, name=f"Guest {index}", email=f"guest{index}@x.example",
                              joined=at(session, 0), left=at(session, 30))
    pull = services.meeting_report_pull_now(meeting_id=meeting.pk, reason="director")
    assert (pull.participant_rows, pull.unmatched) == (650, 650)
    pages = [path for method, path in zoom.requests if "/participants" in path]
    assert len(pages) == 3 and "next_page_token=600" in pages[-1]


def test_a_late_enrolment_is_registered_and_the_beat_tick_pulls_again_later(
        zoom, linked, django_capture_on_commit_callbacks, settings):
    from credits.virtual import selectors
    from tests.factories import EnrolmentFactory

    meeting, people = linked
    meeting.session.ends_at = meeting.session.starts_at + datetime.timedelta(days=2)
    meeting.session.save()
    with django_capture_on_commit_callbacks(execute=True):
        late = EnrolmentFactory(course=meeting.session.course).user
    assert MeetingRegistrant.objects.get(meeting=meeting, user=late).status == "pending"
    meeting_registrants_register.apply(args=[meeting.pk]).get()
    assert MeetingRegistrant.objects.get(meeting=meeting, user=late).status == "registered"
    from django.utils import timezone
    now = timezone.now()
    meeting.first_pulled_at = now - datetime.timedelta(
        minutes=settings.VIRTUAL_REPORT_REPULL_MINUTES + 1)
    meeting.save()
    due = selectors.meetings_to_pull(now=now, providers=["zoom"], repull_after=datetime.timedelta(
        minutes=settings.VIRTUAL_REPORT_REPULL_MINUTES))
    assert due == [(meeting.pk, "repull")]


def test_without_zoom_configured_nothing_is_shown_and_the_webhook_is_404(client, educator,
                                                                        settings):
    settings.ZOOM_ACCOUNT_ID = ""
    settings.GRAPH_TENANT_ID = ""
    session, _ = hybrid_session(educator, learners=1)
    client.force_login(educator)
    assert client.get(reverse("virtual:meeting", args=[session.pk])).status_code == 404
    roster = client.get(reverse("attendance:roster", args=[session.pk])).text
    assert "Zoom or Teams" not in roster and "Import attendance" in roster
    assert client.post(reverse("virtual:zoom_webhook"), b"{}",
                       content_type="application/json").status_code == 404
