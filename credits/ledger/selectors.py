"""What a clinician may claim for a course, and what is still waiting for them.

The rules (ACCME/AMA): credit only after attendance or, for enduring material, completion (every
lesson viewed and the post-test passed), and the evaluation when the course requires it; only
for credit types open to the learner's profession, at most the designated maximum and, for live
activities, at most the hours attended rounded to the nearest quarter hour, claimed once the
learner's last attended session has ended and within the course's claim window after its last
session (enduring: after completion, and never after the termination date). How many minutes
each attendance counts for (a late check-in, Zoom, Teams, an import, the director) is decided
in one place, credits/attendance/minutes.py.
"""
import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from courses.credit_types import (
    CreditType,
    credit_amount_display,
    round_to_quarter,
)
from courses.credittypes.selectors import credit_type_catalog, credit_type_info
from courses.dates import long_date
from courses.models import Course, CreditDesignation, Session
from credits.attendance.minutes import AttendedMinutes, attended_minutes
from credits.attendance.models import Attendance
from credits.evaluations.models import EvaluationResponse
from credits.ledger.models import CreditRecord
from credits.online.models import ModuleProgress


@dataclass
class ClaimOption:
    """One credit type the learner may claim, with the amounts they may choose from."""

    credit_type: str
    designated_max: Decimal
    maximum: Decimal
    claimed: CreditRecord | None = None
    # Live activities: the time attended, not the designation, set the maximum.
    capped_by_attendance: bool = False

    @property
    def label(self) -> str:
        return credit_type_info(self.credit_type).name

    @property
    def allowed_amounts(self) -> list[Decimal]:
        step = credit_type_info(self.credit_type).step
        steps = int(self.maximum / step)
        return [step * n for n in range(steps, 0, -1)]

    @property
    def maximum_display(self) -> str:
        return credit_amount_display(self.maximum, self.credit_type)


@dataclass
class ClaimStatus:
    course: Course
    attended_sessions: list[Session] = field(default_factory=list)
    hours_attended: Decimal = Decimal("0")
    evaluation_done: bool = False
    window_closes_at: datetime.datetime | None = None
    options: list[ClaimOption] = field(default_factory=list)
    has_designations: bool = False
    now: datetime.datetime = field(default_factory=timezone.now)
    zone: zoneinfo.ZoneInfo = field(default_factory=timezone.get_current_timezone)
    online_completion: ModuleProgress | None = None
    # Live: the end of the last session attended; claiming opens then.
    claim_opens_at: datetime.datetime | None = None
    # Each attended session's minutes and why (credits/attendance/minutes.py).
    attended_minutes: list[AttendedMinutes] = field(default_factory=list)

    @property
    def minutes_attended(self) -> int:
        return sum(row.minutes for row in self.attended_minutes)

    @property
    def late_checkins(self) -> list[AttendedMinutes]:
        return [row for row in self.attended_minutes if row.late_checked_in_at is not None]

    @property
    def attended(self) -> bool:
        """Attended a session or, online, completed the activity."""
        return bool(self.attended_sessions) or self.online_completion is not None

    @property
    def terminated(self) -> bool:
        return self.course.is_terminated(timezone.localdate(self.now, self.zone))

    @property
    def claim_open(self) -> bool:
        """Whether the sessions attended are over (credit is for time spent, not booked)."""
        return self.claim_opens_at is None or self.now >= self.claim_opens_at

    @property
    def claim_opens_display(self) -> str:
        if self.claim_opens_at is None:
            return ""
        return date_format(timezone.localtime(self.claim_opens_at, self.zone), "D j M, H:i T")

    @property
    def evaluation_pending(self) -> bool:
        return self.course.evaluation_required and not self.evaluation_done

    @property
    def window_open(self) -> bool:
        return self.window_closes_at is not None and self.now <= self.window_closes_at

    @property
    def days_left(self) -> int:
        if not self.window_open:
            return 0
        return (timezone.localdate(self.window_closes_at, self.zone)
                - timezone.localdate(self.now, self.zone)).days

    @property
    def days_left_display(self) -> str:
        if self.days_left == 0:
            return _("last day to claim")
        return ngettext("%(days)d day left to claim", "%(days)d days left to claim",
                        self.days_left) % {"days": self.days_left}

    @property
    def open_options(self) -> list[ClaimOption]:
        return [option for option in self.options if option.claimed is None]

    @property
    def claimed_options(self) -> list[ClaimOption]:
        return [option for option in self.options if option.claimed is not None]

    @property
    def can_claim(self) -> bool:
        return (self.attended and self.claim_open and not self.evaluation_pending
                and self.window_open and bool(self.open_options))

    @property
    def blocked_reason(self) -> str:
        if not self.attended:
            if self.course.format == Course.Format.DRILL:
                return _("Credit can be claimed once every question of the drill is retired "
                         "(answered right twice in a row, at least a week apart).")
            if self.course.format == Course.Format.ENDURING:
                return _("Credit can be claimed once you have viewed every lesson and passed the "
                         "post-test.")
            return _("Credit can be claimed once your attendance is recorded.")
        if not self.claim_open and self.window_open:
            return _("You can claim credit once the session has ended, from %(opens)s.") % {
                "opens": self.claim_opens_display}
        if self.evaluation_pending:
            return _("Complete the evaluation first; then you can claim credit.")
        if self.terminated:
            return _("This activity's termination date passed on %(day)s; credit can no longer "
                     "be claimed.") % {"day": long_date(self.course.termination_date)}
        if not self.window_open:
            closed = timezone.localtime(self.window_closes_at, self.zone)
            return _("The claim window closed on %(day)s. Contact the CME office if you believe "
                     "you are owed credit.") % {"day": long_date(closed)}
        return ""

    @property
    def completed_on(self) -> datetime.date | None:
        """Completion date: the day of the last session attended (online: the stored day it was
        completed), in the learner's zone."""
        if self.online_completion is not None:
            return self.online_completion.completed_on
        if not self.attended_sessions:
            return None
        return timezone.localdate(self.attended_sessions[-1].starts_at, self.zone)


def claim_status_from_rows(*, user: User, course: Course, attendances: list[Attendance],
                           evaluation_done: bool, records: list[CreditRecord],
                           now: datetime.datetime,
                           online_completion: ModuleProgress | None = None) -> ClaimStatus:
    zone = zoneinfo.ZoneInfo(user.time_zone)
    sessions = [s for s in course.sessions.all() if not s.is_cancelled]
    attendances = sorted(attendances, key=lambda a: a.session.starts_at)
    status = ClaimStatus(course=course, attended_sessions=[a.session for a in attendances],
                         evaluation_done=evaluation_done, now=now, zone=zone,
                         online_completion=online_completion)
    status.attended_minutes = [attended_minutes(a) for a in attendances]
    status.hours_attended = round_to_quarter(Decimal(status.minutes_attended) / Decimal(60))
    if attendances and online_completion is None:
        status.claim_opens_at = max(a.session.ends_at for a in attendances)
    if online_completion is not None:
        status.window_closes_at = (online_completion.completed_at
                                   + datetime.timedelta(days=course.claim_window_days))
    elif sessions:
        status.window_closes_at = (max(s.ends_at for s in sessions)
                                   + datetime.timedelta(days=course.claim_window_days))
    if status.window_closes_at is not None and status.terminated:
        status.window_closes_at = min(status.window_closes_at, now - datetime.timedelta(
            microseconds=1))
    claimed = {r.credit_type: r for r in records}
    designations = list(course.credit_designations.all())
    status.has_designations = bool(designations)
    catalog = credit_type_catalog()
    open_to_profession = [d for d in designations
                          if catalog[d.credit_type].claimable_by(user.profession)]
    if open_to_profession:
        limits = [(d.credit_type, d.max_credits) for d in open_to_profession]
    elif designations:
        # Learners no designation is open to get a certificate of participation for the hours.
        limits = [(CreditType.PARTICIPATION, max(d.max_credits for d in designations))]
    else:
        limits = []
    for credit_type, designated_max in limits:
        maximum = designated_max
        if course.is_live:
            maximum = min(maximum, status.hours_attended)
        if maximum < catalog[credit_type].step and credit_type not in claimed:
            continue
        status.options.append(ClaimOption(credit_type=credit_type, designated_max=designated_max,
                                          maximum=maximum, claimed=claimed.get(credit_type),
                                          capped_by_attendance=maximum < designated_max))
    return status


def courses_with_claim_data():
    return Course.objects.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at")),
        Prefetch("credit_designations", queryset=CreditDesignation.objects.all()),
    )


def claim_status_for(*, user: User, course: Course,
                     now: datetime.datetime | None = None) -> ClaimStatus:
    """Everything the claim page needs, in a fixed number of queries."""
    return claim_status_for_loaded_course(
        user=user, course=courses_with_claim_data().get(pk=course.pk), now=now)


def claim_status_for_loaded_course(*, user: User, course: Course,
                                   now: datetime.datetime | None = None) -> ClaimStatus:
    """claim_status_for on a course whose sessions and credit designations are prefetched.

    The course page has them already; this reads only the learner's rows (three queries, and
    a fourth, the completion, for enduring material).
    """
    attendances = list(Attendance.objects.filter(
        user=user, session__course=course, session__is_cancelled=False,
        status=Attendance.Status.PRESENT).select_related("session"))
    evaluation_done = EvaluationResponse.objects.filter(user=user, course=course).exists()
    records = list(CreditRecord.objects.filter(user=user, course=course,
                                               status=CreditRecord.Status.ACTIVE))
    completion = None
    if course.is_self_paced:
        completion = ModuleProgress.objects.filter(user=user, course=course,
                                                   completed_at__isnull=False).first()
    return claim_status_from_rows(user=user, course=course, attendances=attendances,
                                  evaluation_done=evaluation_done, records=records,
                                  now=now or timezone.now(), online_completion=completion)
