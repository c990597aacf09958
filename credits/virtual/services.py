"""Every write about virtual attendance: linking a session to a Zoom or Teams meeting,
registering learners, accepting Zoom's webhook, pulling a meeting's report into attendance, and
the director's review of participants nobody could be matched to."""
import datetime
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Enrolment, Session
from credits.attendance.services import attendance_record_from_meeting
from credits.virtual import tasks, teams, zoom
from credits.virtual.errors import ProviderError, ProviderUnavailable
from credits.virtual.intervals import JoinRow, MeetingAttendee, minutes_within
from credits.virtual.models import (
    MeetingRegistrant,
    Provider,
    ReportPull,
    UnmatchedParticipant,
    VirtualMeeting,
    WebhookDelivery,
)


def provider_is_configured(provider: str) -> bool:
    return zoom.is_configured() if provider == Provider.ZOOM else teams.is_configured()


def configured_providers() -> list[str]:
    return [provider for provider in Provider.values if provider_is_configured(provider)]


def _portal_join_url(session: Session) -> str:
    """What the course page and the reminder email link to: the portal sends each learner on
    to their personal join link."""
    return settings.SITE_URL + reverse("virtual:join", args=[session.pk])


def virtual_meeting_link(*, session: Session, provider: str, meeting_id: str, actor: User,
                         join_url: str = "", organizer_id: str = "") -> VirtualMeeting:
    """Link the session to a Zoom meeting or webinar (its number) or a Teams online meeting
    (its id and organizer). Zoom: every enrolled learner is registered by a worker.

    The form offers only the services configured; a meeting linked while a service is not
    (the demo's, an earlier configuration's) keeps its recorded attendance and is not pulled.
    """
    meeting_id = meeting_id.strip()
    if provider == Provider.ZOOM:
        meeting_id = meeting_id.replace(" ", "").replace("-", "")
        if not meeting_id.isdigit():
            raise ValidationError("A Zoom meeting ID is the 10 or 11 digits of the meeting "
                                  "(e.g. 845 1234 5678).")
    elif not (meeting_id and organizer_id.strip()):
        raise ValidationError("A Teams meeting needs its online meeting ID and the organizer's "
                              "user ID (from Graph).")
    if session.is_cancelled:
        raise ValidationError("This session is cancelled.")
    with transaction.atomic():
        if VirtualMeeting.objects.filter(session=session, provider=provider).exists():
            raise ValidationError(f"This session is already linked to a "
                                  f"{Provider(provider).label} meeting.")
        try:
            with transaction.atomic():
                meeting = VirtualMeeting.objects.create(
                    session=session, provider=provider, meeting_id=meeting_id,
                    organizer_id=organizer_id.strip(), join_url=join_url.strip(),
                    linked_by=actor)
        except IntegrityError as error:
            raise ValidationError("That meeting is already linked to another session.") from error
        session.online_url = _portal_join_url(session)
        session.save(update_fields=["online_url"])
        if provider == Provider.ZOOM:
            meeting_registrants_ensure(meeting=meeting)
    return meeting


def meeting_registrants_ensure(*, meeting: VirtualMeeting) -> int:
    """A pending registrant for every enrolled learner who has none; a worker registers them.
    Nothing without Zoom configured, or once the session has ended."""
    if not zoom.is_configured() or meeting.session.ends_at <= timezone.now():
        return 0
    enrolled = Enrolment.objects.filter(course_id=meeting.session.course_id,
                                        status=Enrolment.Status.ENROLLED)
    missing = enrolled.exclude(user_id__in=meeting.registrants.values("user_id"))
    created = MeetingRegistrant.objects.bulk_create(
        [MeetingRegistrant(meeting=meeting, user_id=user_id)
         for user_id in missing.values_list("user_id", flat=True)], ignore_conflicts=True)
    if created:
        tasks.meeting_registrants_register.delay_on_commit(meeting.pk)
    return len(created)


def meeting_registrants_register_now(*, meeting_id: int) -> int:
    """Register pending learners with Zoom; returns how many were registered. A transient error
    stops the batch (the task retries); a refusal marks that learner failed with the reason."""
    meeting = VirtualMeeting.objects.get(pk=meeting_id)
    client = zoom.ZoomClient.from_settings()
    registered = 0
    pending = (MeetingRegistrant.objects.filter(meeting=meeting,
                                                status=MeetingRegistrant.Status.PENDING)
               .select_related("user"))
    for registrant in pending:
        first, _, last = registrant.user.full_name.partition(" ")
        try:
            answer = client.registrant_add(meeting_id=meeting.meeting_id,
                                           email=registrant.user.email, first_name=first,
                                           last_name=last)
        except ProviderUnavailable:
            raise
        except ProviderError as error:
            registrant.status, registrant.error = MeetingRegistrant.Status.FAILED, str(error)
            registrant.save(update_fields=["status", "error", "updated_at"])
            continue
        registrant.status = MeetingRegistrant.Status.REGISTERED
        registrant.registrant_id, registrant.join_url = answer.registrant_id, answer.join_url
        registrant.error = ""
        registrant.save(update_fields=["status", "registrant_id", "join_url", "error",
                                       "updated_at"])
        registered += 1
    return registered


class WebhookRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def zoom_webhook_receive(*, timestamp: str, signature: str, body: bytes,
                         now: datetime.datetime | None = None) -> dict:
    """Verify and act on one Zoom webhook call; returns the JSON to answer with.

    Every call must be signed, the URL-validation challenge included: answering an unsigned
    challenge would sign any text an attacker sends, their own forged event among them. A call
    older than VIRTUAL_WEBHOOK_MAX_AGE_SECONDS, or one already received, is refused.
    """
    now = now or timezone.now()
    try:
        sent_at = datetime.datetime.fromtimestamp(int(timestamp) / 1000
                                                  if len(timestamp) > 11 else int(timestamp),
                                                  tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        raise WebhookRefused(401, "Missing or malformed x-zm-request-timestamp.") from None
    if not signature or not hmac.compare_digest(
            signature, zoom.webhook_signature(timestamp=timestamp, body=body)):
        raise WebhookRefused(401, "The x-zm-signature does not match.")
    if abs((now - sent_at).total_seconds()) > settings.VIRTUAL_WEBHOOK_MAX_AGE_SECONDS:
        raise WebhookRefused(401, "The call is too old: a replay.")
    try:
        payload = json.loads(body)
        event = str(payload["event"])
        details = payload.get("payload") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise WebhookRefused(400, "The body is not a Zoom event.") from None
    meeting_number = str((details.get("object") or {}).get("id") or "")
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(provider=Provider.ZOOM, signature=signature,
                                           event=event[:100], meeting_id=meeting_number[:300])
    except IntegrityError:
        raise WebhookRefused(409, "This call was already received.") from None
    if event == "endpoint.url_validation":
        return zoom.url_validation_answer(str(details.get("plainToken", "")))
    if event in ("meeting.ended", "webinar.ended") and meeting_number:
        meeting_ended_record(provider=Provider.ZOOM, meeting_id=meeting_number, at=now)
    return {}


def meeting_ended_record(*, provider: str, meeting_id: str, at: datetime.datetime) -> bool:
    """The provider says the meeting ended: pull its report now (and, from the beat tick,
    once more later). A second notice pulls again, which changes nothing."""
    with transaction.atomic():
        meeting = (VirtualMeeting.objects.select_for_update()
                   .filter(provider=provider, meeting_id=meeting_id).first())
        if meeting is None:
            return False
        if meeting.ended_at is None:
            meeting.ended_at = at
            meeting.save(update_fields=["ended_at"])
        tasks.virtual_meeting_pull.delay_on_commit(meeting.pk, "meeting.ended")
    return True


def _report_rows(meeting: VirtualMeeting) -> list[JoinRow]:
    if meeting.provider == Provider.ZOOM:
        return list(zoom.ZoomClient.from_settings().meeting_participants(
            meeting_id=meeting.meeting_id))
    return list(teams.GraphClient.from_settings().meeting_attendance(
        organizer_id=meeting.organizer_id, meeting_id=meeting.meeting_id))


def attendees_from_rows(rows: Iterable[JoinRow]) -> list[MeetingAttendee]:
    """One attendee per person the report names, with all their joins."""
    attendees: dict[str, MeetingAttendee] = {}
    for row in rows:
        attendee = attendees.get(row.key)
        if attendee is None:
            attendee = attendees[row.key] = MeetingAttendee(
                key=row.key, name=row.name, email=row.email, registrant_id=row.registrant_id)
        attendee.intervals.append((row.joined_at, row.left_at))
        attendee.email = attendee.email or row.email
    return list(attendees.values())


@dataclass
class MatchOutcome:
    matched: int
    unmatched: int
    written: int


def meeting_attendance_apply(*, meeting: VirtualMeeting,
                             attendees: list[MeetingAttendee]) -> MatchOutcome:
    """Match each attendee (registrant id, then email, then the director's earlier link),
    merge each learner's intervals, write their minutes, and list the rest for review.

    A fixed number of queries whatever the number of participants.
    """
    session = meeting.session
    by_registrant = dict(MeetingRegistrant.objects.filter(meeting=meeting)
                         .exclude(registrant_id="").values_list("registrant_id", "user_id"))
    emails = {attendee.email.lower() for attendee in attendees if attendee.email}
    by_email = dict(User.objects.annotate(email_lower=Lower("email"))
                    .filter(email_lower__in=emails).values_list("email_lower", "pk"))
    reviewed = {row.participant_key: row for row in UnmatchedParticipant.objects.filter(
        meeting=meeting, participant_key__in=[attendee.key for attendee in attendees])}
    intervals_by_user: dict[int, list] = defaultdict(list)
    unmatched = []
    for attendee in attendees:
        user_id = (by_registrant.get(attendee.registrant_id)
                   or by_email.get(attendee.email.lower()))
        review = reviewed.get(attendee.key)
        if user_id is None and review is not None and review.linked_user_id:
            user_id = review.linked_user_id
        if user_id is not None:
            intervals_by_user[user_id].extend(attendee.intervals)
        else:
            unmatched.append(attendee)
    minutes_by_user = {
        user_id: minutes_within(intervals, starts_at=session.starts_at, ends_at=session.ends_at)
        for user_id, intervals in intervals_by_user.items()}
    joined_at_by_user = {user_id: min(start for start, _ in intervals)
                         for user_id, intervals in intervals_by_user.items()}
    written = attendance_record_from_meeting(
        session=session, minutes_by_user=minutes_by_user, source=meeting.provider,
        joined_at_by_user=joined_at_by_user)
    UnmatchedParticipant.objects.bulk_create(
        [UnmatchedParticipant(
            meeting=meeting, participant_key=attendee.key[:300], name=attendee.name[:300],
            email=attendee.email[:300],
            minutes=minutes_within(attendee.intervals, starts_at=session.starts_at,
                                   ends_at=session.ends_at))
         for attendee in unmatched if attendee.key not in reviewed or not
         reviewed[attendee.key].linked_user_id],
        update_conflicts=True, unique_fields=["meeting", "participant_key"],
        update_fields=["name", "email", "minutes"])
    return MatchOutcome(matched=len(minutes_by_user), unmatched=len(unmatched), written=written)


def meeting_report_pull_now(*, meeting_id: int, reason: str) -> ReportPull:
    """Pull the meeting's report into attendance, recording the attempt whatever happens.
    Raises ProviderUnavailable (after recording it) so the task retries."""
    meeting = VirtualMeeting.objects.select_related("session").get(pk=meeting_id)
    pull = ReportPull.objects.create(meeting=meeting, reason=reason[:30])
    if not provider_is_configured(meeting.provider):
        _pull_finish(pull, ReportPull.Outcome.FAILED,
                     error=f"{meeting.get_provider_display()} is not configured on this portal.")
        return pull
    try:
        rows = _report_rows(meeting)
    except ProviderUnavailable as error:
        _pull_finish(pull, ReportPull.Outcome.RETRYING, error=str(error))
        raise
    except ProviderError as error:
        _pull_finish(pull, ReportPull.Outcome.FAILED, error=str(error))
        return pull
    return meeting_report_apply(pull=pull, rows=rows)


def meeting_report_record(*, meeting: VirtualMeeting, rows: list[JoinRow],
                          reason: str) -> ReportPull:
    """Apply a report obtained some other way (the demo's), recorded like a pull."""
    return meeting_report_apply(
        pull=ReportPull.objects.create(meeting=meeting, reason=reason[:30]), rows=rows)


def meeting_report_apply(*, pull: ReportPull, rows: list[JoinRow]) -> ReportPull:
    attendees = attendees_from_rows(rows)
    with transaction.atomic():
        # One pull at a time per meeting: a webhook and the beat tick may start two.
        meeting = VirtualMeeting.objects.select_for_update().select_related("session").get(
            pk=pull.meeting_id)
        outcome = meeting_attendance_apply(meeting=meeting, attendees=attendees)
        now = timezone.now()
        if meeting.first_pulled_at is None:
            meeting.first_pulled_at = now
        elif pull.reason == "repull" and meeting.repulled_at is None:
            meeting.repulled_at = now
        meeting.save(update_fields=["first_pulled_at", "repulled_at"])
        pull.participant_rows = len(rows)
        pull.matched, pull.unmatched, pull.attendance_written = (
            outcome.matched, outcome.unmatched, outcome.written)
        _pull_finish(pull, ReportPull.Outcome.DONE)
    return pull


def _pull_finish(pull: ReportPull, outcome: str, *, error: str = "") -> None:
    pull.outcome, pull.error, pull.finished_at = outcome, error[:2000], timezone.now()
    pull.save()


def meeting_report_pull_request(*, meeting: VirtualMeeting) -> None:
    """The director's "pull now" (after a late report, or a link in the review list)."""
    tasks.virtual_meeting_pull.delay_on_commit(meeting.pk, "director")


def unmatched_participant_link(*, unmatched: UnmatchedParticipant, user: User,
                               actor: User) -> UnmatchedParticipant:
    """The director says who this participant is: their minutes become that learner's
    attendance, and later pulls match them the same way."""
    with transaction.atomic():
        unmatched = (UnmatchedParticipant.objects.select_for_update()
                     .select_related("meeting__session").get(pk=unmatched.pk))
        if unmatched.status != UnmatchedParticipant.Status.OPEN:
            raise ValidationError("This participant was already reviewed.")
        session = unmatched.meeting.session
        attendance_record_from_meeting(
            session=session, minutes_by_user={user.pk: unmatched.minutes},
            source=unmatched.meeting.provider, joined_at_by_user={})
        unmatched.status, unmatched.linked_user = UnmatchedParticipant.Status.LINKED, user
        unmatched.resolved_by, unmatched.resolved_at = actor, timezone.now()
        unmatched.save()
    return unmatched


def unmatched_participant_dismiss(*, unmatched: UnmatchedParticipant,
                                  actor: User) -> UnmatchedParticipant:
    """Not a learner (a guest speaker, the AV technician): off the review list for good."""
    with transaction.atomic():
        unmatched = UnmatchedParticipant.objects.select_for_update().get(pk=unmatched.pk)
        if unmatched.status != UnmatchedParticipant.Status.OPEN:
            raise ValidationError("This participant was already reviewed.")
        unmatched.status = UnmatchedParticipant.Status.DISMISSED
        unmatched.resolved_by, unmatched.resolved_at = actor, timezone.now()
        unmatched.save()
    return unmatched
