"""From a meeting report's join/leave rows to one figure per person: minutes inside the
session, counting re-joins once each and overlapping devices (phone and laptop) once."""
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

Interval = tuple[datetime.datetime, datetime.datetime]


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of the intervals, sorted, with overlapping or touching ones joined."""
    result: list[Interval] = []
    for start, end in sorted(interval for interval in intervals if interval[1] > interval[0]):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def minutes_within(intervals: Iterable[Interval], *, starts_at: datetime.datetime,
                   ends_at: datetime.datetime) -> int:
    """Whole minutes of the union of `intervals` inside the session's scheduled times: time in
    the meeting before the start or after the end is not educational time."""
    clipped = ((max(start, starts_at), min(end, ends_at)) for start, end in intervals)
    seconds = sum((end - start).total_seconds() for start, end in merged(clipped))
    return int(seconds // 60)


@dataclass(frozen=True)
class JoinRow:
    """One join of one device, as a Zoom or Teams report lists it (a re-join is another row)."""

    registrant_id: str
    email: str
    name: str
    user_id: str
    joined_at: datetime.datetime
    left_at: datetime.datetime

    @property
    def key(self) -> str:
        return person_key(registrant_id=self.registrant_id, email=self.email,
                          provider_user_id=self.user_id, name=self.name)


@dataclass
class MeetingAttendee:
    """One person as a report names them, with every interval they were in the meeting."""

    key: str
    name: str = ""
    email: str = ""
    registrant_id: str = ""
    intervals: list[Interval] = field(default_factory=list)


def person_key(*, registrant_id: str, email: str, provider_user_id: str, name: str) -> str:
    """The report's stable handle for a person: a registrant id, else the email, else the
    provider's user id, else the display name (a guest who typed only a name)."""
    if registrant_id:
        return f"registrant:{registrant_id}"
    if email:
        return f"email:{email.strip().lower()}"
    if provider_user_id:
        return f"user:{provider_user_id}"
    return f"name:{name.strip().lower()}"
