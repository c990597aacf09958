"""What the areas of the demo share while it is seeded: the moment it runs (the demo's history
is dated back from it), the office's wall clock, the people made so far, and what each area
says it will create."""
import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User

# The CME office's zone: sessions are planned on its wall clock (07:30 stays 07:30).
OFFICE_ZONE = zoneinfo.ZoneInfo("America/New_York")


@dataclass(frozen=True)
class PlannedAccount:
    email: str
    full_name: str
    role: str
    signs_in: bool  # False: no password (a colleague or a faculty contact)


@dataclass(frozen=True)
class Plan:
    """What an area will create, printed before `seed_demo --allow-production` creates it."""

    accounts: tuple[PlannedAccount, ...] = ()
    courses: tuple[str, ...] = ()
    # What else it does that a production portal's own people would notice.
    notes: tuple[str, ...] = ()


@dataclass
class Demo:
    now: datetime.datetime
    # The demo logins by role label ("Clinician", "Educator", "Pharmacist", "Administrator").
    people: dict[str, User] = field(default_factory=dict)
    # Forty colleagues with a year of history (no password).
    colleagues: list[User] = field(default_factory=list)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def clinician(self) -> User:
        return self.people["Clinician"]

    @property
    def educator(self) -> User:
        return self.people["Educator"]

    @property
    def pharmacist(self) -> User:
        return self.people["Pharmacist"]

    @property
    def administrator(self) -> User:
        return self.people["Administrator"]

    def ago(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days, hours=hours, minutes=minutes)

    def at(self, day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
        """A wall-clock time in the office's zone, `day_offset` days from today (negative:
        in the past)."""
        day = self.now.astimezone(OFFICE_ZONE).date() + datetime.timedelta(days=day_offset)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OFFICE_ZONE)

    def days_to_next(self, weekday: int) -> int:
        """Days from today to the next given weekday (Monday is 0), today excluded."""
        today = self.now.astimezone(OFFICE_ZONE).date()
        return (weekday - today.weekday() - 1) % 7 + 1
