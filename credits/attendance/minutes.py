"""The one rule for how many minutes of a session an attendance row counts for, whatever
recorded it (room check-in, Zoom, Teams, an imported report, the director).

Credit for a live activity is capped at the time attended (AMA: claim only the credit
commensurate with the extent of participation), so the roster and the claim form both read
their minutes here:

- a row that carries minutes (a report, Zoom, Teams, the director) counts them;
- a room check-in within the grace period (CHECKIN_LATE_GRACE_MINUTES) counts the whole session;
- a later check-in counts from the check-in to the end: the late-check-in rule;
- a row marked present without minutes (the roster's "whole session") counts the whole session.
"""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses import checkin
from courses.models import Session
from credits.attendance.models import Attendance


def session_minutes(session: Session) -> int:
    return int((session.ends_at - session.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class AttendedMinutes:
    """A row's minutes and why it counts that many."""

    attendance: Attendance
    minutes: int
    # Set when a room check-in after the grace period cut the time counted.
    late_checked_in_at: datetime.datetime | None = None

    @property
    def session(self) -> Session:
        return self.attendance.session

    @property
    def session_minutes(self) -> int:
        return session_minutes(self.attendance.session)

    @property
    def source_label(self) -> str:
        return self.attendance.get_source_display()

    @property
    def is_whole_session(self) -> bool:
        return self.minutes >= self.session_minutes

    @property
    def minutes_late(self) -> int:
        if self.late_checked_in_at is None:
            return 0
        return int((self.late_checked_in_at - self.session.starts_at).total_seconds() // 60)

    @property
    def grace_minutes(self) -> int:
        return settings.CHECKIN_LATE_GRACE_MINUTES

    @property
    def why(self) -> str:
        """One sentence for the roster and the claim form."""
        if self.late_checked_in_at is not None:
            return _("checked in %(late)s minutes after the start; counted from check-in") % {
                "late": self.minutes_late}
        if self.attendance.minutes_attended is None:
            return _("whole session")
        return REASONS[self.attendance.source]


# Why a row that carries minutes counts them, by its source.
REASONS = {
    Attendance.Source.ZOOM: _("joins and leaves in the meeting report"),
    Attendance.Source.TEAMS: _("joins and leaves in the meeting report"),
    Attendance.Source.IMPORT: _("from the uploaded report"),
    Attendance.Source.ROSTER: _("set by the director"),
    Attendance.Source.CHECK_IN: _("set at check-in"),
    Attendance.Source.STATION: _("recorded at a skills station"),
}


def attended_minutes(attendance: Attendance) -> AttendedMinutes:
    """The minutes `attendance` counts for (0 when absent); reads only the row and its session."""
    if attendance.status != Attendance.Status.PRESENT:
        return AttendedMinutes(attendance, 0)
    if attendance.minutes_attended is not None:
        return AttendedMinutes(attendance, attendance.minutes_attended)
    session = attendance.session
    if (attendance.source == Attendance.Source.CHECK_IN and attendance.checked_in_at is not None
            and attendance.checked_in_at > checkin.late_after(session)):
        seconds = max((session.ends_at - attendance.checked_in_at).total_seconds(), 0)
        return AttendedMinutes(attendance, int(seconds // 60),
                               late_checked_in_at=attendance.checked_in_at)
    return AttendedMinutes(attendance, session_minutes(session))
