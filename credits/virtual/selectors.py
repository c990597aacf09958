"""Reads for virtual attendance: what the beat tick must do, a session's meeting page, and a
learner's personal join link."""
import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import User
from courses.models import Enrolment, Session
from credits.virtual.models import (
    MeetingRegistrant,
    Provider,
    ReportPull,
    UnmatchedParticipant,
    VirtualMeeting,
)

# How long the tick keeps looking for a report that never came, and how long it leaves a pull
# in flight (or retrying) before starting another.
PULL_GIVE_UP_AFTER = datetime.timedelta(days=7)
PULL_IN_FLIGHT = datetime.timedelta(minutes=30)
FIRST_PULL_AFTER_END = datetime.timedelta(minutes=10)
RECENT_PULLS = 10


def meetings_to_register(*, now: datetime.datetime) -> QuerySet[VirtualMeeting]:
    """Zoom meetings still to come, so a learner who enrolled late gets a personal link (none
    are registered while Zoom is not configured)."""
    return (VirtualMeeting.objects.filter(provider=Provider.ZOOM, session__ends_at__gt=now,
                                          session__is_cancelled=False)
            .select_related("session"))


def meetings_to_pull(*, now: datetime.datetime, repull_after: datetime.timedelta,
                     providers: list[str]) -> list[tuple[int, str]]:
    """(meeting id, reason) for each report due from the configured `providers`: the first pull
    of a meeting that ended without a webhook, and the second pull after `repull_after`."""
    recent_pull = Exists(ReportPull.objects.filter(meeting=OuterRef("pk"),
                                                   started_at__gte=now - PULL_IN_FLIGHT))
    meetings = VirtualMeeting.objects.annotate(recent_pull=recent_pull).filter(
        recent_pull=False, session__is_cancelled=False, provider__in=providers)
    first = meetings.filter(first_pulled_at__isnull=True,
                            session__ends_at__lte=now - FIRST_PULL_AFTER_END,
                            session__ends_at__gte=now - PULL_GIVE_UP_AFTER)
    again = meetings.filter(first_pulled_at__lte=now - repull_after, repulled_at__isnull=True,
                            first_pulled_at__gte=now - PULL_GIVE_UP_AFTER)
    return ([(pk, "scheduled") for pk in first.values_list("pk", flat=True)]
            + [(pk, "repull") for pk in again.values_list("pk", flat=True)])


def meetings_for_session(*, session: Session) -> list[VirtualMeeting]:
    """The session's meetings (one per service), each with its registrants counted and its
    recent pulls (`recent`)."""
    meetings = list(VirtualMeeting.objects.filter(session=session).order_by("linked_at", "pk")
                    .annotate(registered=Count("registrants", filter=Q(
                        registrants__status=MeetingRegistrant.Status.REGISTERED)),
                              failed=Count("registrants", filter=Q(
                                  registrants__status=MeetingRegistrant.Status.FAILED)),
                              pending=Count("registrants", filter=Q(
                                  registrants__status=MeetingRegistrant.Status.PENDING))))
    for meeting in meetings:
        meeting.recent = list(meeting.pulls.all()[:RECENT_PULLS])
    return meetings


def review_list(*, session: Session) -> list[UnmatchedParticipant]:
    """The participants of every meeting of the session matched to nobody."""
    return list(UnmatchedParticipant.objects.filter(meeting__session=session)
                .select_related("meeting", "linked_user", "resolved_by"))


def linkable_learners(*, session: Session) -> list[User]:
    """Whom an unmatched participant may be linked to: the course's enrolled learners."""
    return [enrolment.user for enrolment in Enrolment.objects.filter(
        course_id=session.course_id, status=Enrolment.Status.ENROLLED)
        .select_related("user").order_by("user__full_name", "user__email")]


def join_url_for(*, session: Session, user: User) -> str | None:
    """The learner's personal join link (Zoom registrant), else the generic link of the meeting
    linked first; None when the session has no meeting or the learner is not enrolled."""
    meetings = list(VirtualMeeting.objects.filter(session=session).order_by("linked_at", "pk"))
    if not meetings or not Enrolment.objects.filter(
            course_id=session.course_id, user=user, status=Enrolment.Status.ENROLLED).exists():
        return None
    personal = (MeetingRegistrant.objects.filter(meeting__in=meetings, user=user)
                .exclude(join_url="").values_list("join_url", flat=True).first())
    return personal or next((m.join_url for m in meetings if m.join_url), None)
