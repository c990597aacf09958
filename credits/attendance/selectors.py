"""Reads for check-in, rosters and attendance imports."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from courses.checkin import late_after
from courses.models import Course, Enrolment, Session
from courses.selectors.catalog import PrimaryAction, course_primary_action
from courses.selectors.educator import courses_managed_by
from courses.session_audience import sessions_visible_q
from credits.attendance.minutes import AttendedMinutes, attended_minutes
from credits.attendance.models import Attendance, AttendanceChange
from credits.online.models import ModuleProgress


def sessions_managed_by(*, user: User) -> QuerySet[Session]:
    """Sessions whose check-in, roster and imports `user` may run: course directors'
    own sessions, and every session for the CME office."""
    sessions = Session.objects.select_related("course")
    if user.is_administrator:
        return sessions
    return sessions.filter(course__in=courses_managed_by(user=user))


def session_for_checkin_code(*, code: str, at: datetime.datetime) -> Session | None:
    """The session a typed code belongs to at `at` (fixed codes, or rotating codes of sessions
    within a day of now, which is the only time a rotating code can be on a screen)."""
    from courses.checkin import accepted_codes

    day = datetime.timedelta(days=1)
    candidates = Session.objects.select_related("course").filter(
        Q(checkin_code_rotates=False, checkin_code=code)
        | Q(checkin_code_rotates=True, starts_at__lte=at + day, ends_at__gte=at - day))
    for session in candidates:
        if code in accepted_codes(session, at):
            return session
    return None


@dataclass(frozen=True)
class CheckedIn:
    """A learner's check-in and what comes after it: the course page's next step."""

    attendance: Attendance
    next_step: PrimaryAction | None
    late: bool

    @property
    def grace_minutes(self) -> int:
        return settings.CHECKIN_LATE_GRACE_MINUTES


def checked_in_next_step(*, user: User, session_id: str | int) -> CheckedIn | None:
    """The learner's own check-in to the session (None if they have none) and their next step
    on the activity (evaluate, claim when it opens), from the course page's registered
    next-step selectors."""
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        return None
    attendance = (Attendance.objects.select_related("session__course")
                  .filter(user=user, session_id=session_id, status=Attendance.Status.PRESENT)
                  .first())
    if attendance is None:
        return None
    course = (Course.objects.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.filter(sessions_visible_q(user=user))
                 .order_by("starts_at")),
        "credit_designations").get(pk=attendance.session.course_id))
    enrolment = Enrolment.objects.filter(course=course, user=user,
                                         status__in=Enrolment.ACTIVE_STATUSES).first()
    action = course_primary_action(course=course, enrolment=enrolment, user=user)
    late = (attendance.source == Attendance.Source.CHECK_IN
            and attendance.checked_in_at is not None
            and attendance.checked_in_at > late_after(attendance.session))
    return CheckedIn(attendance=attendance, late=late,
                     next_step=action if action is not None and action.is_next_step else None)


def attendance_for(*, session: Session, user: User) -> Attendance | None:
    return Attendance.objects.filter(session=session, user=user).first()


def is_enrolled(*, session: Session, user: User) -> bool:
    return Enrolment.objects.filter(course_id=session.course_id, user=user,
                                    status=Enrolment.Status.ENROLLED).exists()


@dataclass
class RosterRow:
    user: User
    enrolled: bool
    attendance: Attendance | None

    @property
    def is_present(self) -> bool:
        return self.attendance is not None and self.attendance.status == Attendance.Status.PRESENT

    @property
    def counted(self) -> AttendedMinutes | None:
        """The minutes credit counts for this learner, and why (None when not present)."""
        return attended_minutes(self.attendance) if self.is_present else None


def session_roster(*, session: Session) -> list[RosterRow]:
    """Enrolled clinicians and anyone else with attendance (walk-ins), by name: two queries."""
    enrolled_users = [enrolment.user for enrolment in Enrolment.objects.filter(
        course_id=session.course_id, status=Enrolment.Status.ENROLLED).select_related("user")]
    attendances = {attendance.user_id: attendance for attendance in
                   Attendance.objects.filter(session=session).select_related("user")}
    for attendance in attendances.values():
        attendance.session = session  # the minutes rule reads it: no query per row
    rows = [RosterRow(user, True, attendances.get(user.pk)) for user in enrolled_users]
    enrolled_ids = {user.pk for user in enrolled_users}
    rows += [RosterRow(attendance.user, False, attendance)
             for user_id, attendance in attendances.items() if user_id not in enrolled_ids]
    rows.sort(key=lambda row: (row.user.full_name.lower(), row.user.email.lower()))
    return rows


def roster_row_or_404(*, session: Session, user_id: int) -> RosterRow:
    """One learner on the session's roster (enrolled, or with attendance), for an override."""
    attendance = (Attendance.objects.select_related("user")
                  .filter(session=session, user_id=user_id).first())
    if attendance is not None:
        attendance.session = session
        return RosterRow(attendance.user, is_enrolled(session=session, user=attendance.user),
                         attendance)
    enrolment = get_object_or_404(Enrolment.objects.select_related("user"),
                                  course_id=session.course_id, user_id=user_id,
                                  status=Enrolment.Status.ENROLLED)
    return RosterRow(enrolment.user, True, None)


def attendance_changes_for(*, attendance: Attendance | None) -> list[AttendanceChange]:
    if attendance is None:
        return []
    return list(attendance.changes.select_related("actor"))


def attended_or_completed(*, user: User, course: Course) -> bool:
    """Whether the learner may evaluate and claim: attended a session or (enduring material)
    completed the activity online."""
    if course.is_self_paced:
        return ModuleProgress.objects.filter(user=user, course=course,
                                             completed_at__isnull=False).exists()
    return Attendance.objects.filter(user=user, session__course=course,
                                     status=Attendance.Status.PRESENT).exists()


def attended_course_or_404(*, user: User, slug: str) -> Course:
    """Evaluation and claim pages exist only for clinicians who attended or completed online."""
    course = get_object_or_404(Course, slug=slug)
    if not attended_or_completed(user=user, course=course):
        raise Http404("No attendance or completion recorded for this activity.")
    return course


def attendance_taken_for_last_past_session() -> Exists:
    """My courses' "attendance taken" figure, over the row's `last_past_session_id`."""
    return Exists(Attendance.objects.filter(session_id=OuterRef("last_past_session_id")))


@dataclass
class CourseParticipation:
    """An activity's enrolments and every attendance recorded at its sessions (the API's
    per-activity report)."""

    course: Course
    enrolments: list[Enrolment]
    attendances: list[Attendance]


def course_participation(*, course: Course) -> CourseParticipation:
    """Two queries whatever the number of learners and sessions."""
    return CourseParticipation(
        course=course,
        enrolments=list(Enrolment.objects.filter(course=course).select_related("user")
                        .order_by("created_at", "pk")),
        attendances=list(Attendance.objects.filter(session__course=course)
                         .select_related("user", "session")
                         .order_by("session__starts_at", "session_id", "user__full_name", "pk")))
