"""Change feeds for integrations (an HR system syncing nightly): credit-record changes and
completions after a cursor, oldest first, in a fixed number of queries.

A cursor is the (time, kind, id) of the last item returned, so rows written at the same
instant are neither skipped nor repeated. A row's time is taken when it is written but it is
seen only when its transaction commits, possibly later; so a feed only returns rows older than
API_SYNC_SETTLE_SECONDS, and a row committed within that window is still ahead of any cursor
already handed out.
"""
import base64
import binascii
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, Value
from django.utils import timezone

from cpd_portal.replica import reads_from_replica
from credits.attendance.models import Attendance
from credits.ledger.models import CreditRecordChange
from credits.online.models import ModuleProgress

SESSION_ATTENDANCE = "session_attendance"
ONLINE_COMPLETION = "online_completion"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class CursorInvalid(ValueError):
    """The cursor was not one this portal handed out."""


@dataclass(frozen=True)
class SyncCursor:
    at: datetime.datetime
    kind: str = ""
    pk: int = 0

    @classmethod
    def since(cls, moment: datetime.datetime) -> "SyncCursor":
        """Everything written at or after `moment` (a time without a zone is UTC). Raises
        OverflowError for a moment that has no UTC equivalent."""
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        # In UTC, and no earlier than 1970: PostgreSQL refuses some historical zone offsets.
        return cls(at=max(moment.astimezone(datetime.UTC), EPOCH))

    def encode(self) -> str:
        text = f"{self.at.astimezone(datetime.UTC).isoformat()}|{self.kind}|{self.pk}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "SyncCursor":
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at, kind, pk = raw.split("|")
            moment = datetime.datetime.fromisoformat(at)
            if timezone.is_naive(moment) or kind not in ("", SESSION_ATTENDANCE,
                                                         ONLINE_COMPLETION):
                raise ValueError(raw)
            return cls(at=max(moment.astimezone(datetime.UTC), EPOCH), kind=kind, pk=int(pk))
        except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError) as error:
            raise CursorInvalid("This cursor is not valid; start again from a date with "
                                "'since'.") from error


def _settled_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.API_SYNC_SETTLE_SECONDS)


def _after(field: str, cursor: SyncCursor, kind: str = "") -> Q:
    """Rows of one kind whose (time, kind, id) comes after the cursor's."""
    later = Q(**{f"{field}__gt": cursor.at})
    if kind > cursor.kind:
        return later | Q(**{field: cursor.at})
    if kind == cursor.kind:
        return later | Q(**{field: cursor.at, "pk__gt": cursor.pk})
    return later


@reads_from_replica
def credit_record_changes_after(*, cursor: SyncCursor, limit: int) -> list[CreditRecordChange]:
    """Audit entries of every credit record (created, voided, replaced...) after the cursor:
    each change once, with the record as it is now. One query."""
    return list(CreditRecordChange.objects
                .filter(_after("changed_at", cursor), changed_at__lt=_settled_before())
                .select_related("record__user", "record__course", "record__external_activity")
                .order_by("changed_at", "pk")[:limit])


def credit_record_change_cursor(change: CreditRecordChange) -> SyncCursor:
    return SyncCursor(at=change.changed_at, pk=change.pk)


@dataclass
class Completion:
    kind: str
    at: datetime.datetime
    attendance: Attendance | None = None
    progress: ModuleProgress | None = None

    @property
    def cursor(self) -> SyncCursor:
        row = self.attendance or self.progress
        return SyncCursor(at=self.at, kind=self.kind, pk=row.pk)


@reads_from_replica
def completions_after(*, cursor: SyncCursor, limit: int) -> list[Completion]:
    """Session attendance recorded or changed (present or absent) and online activities
    completed, after the cursor, oldest first. Three queries."""
    settled = _settled_before()
    # The parts of a UNION carry no ORDER BY (their models' default ordering cleared): SQLite
    # refuses one there, and only the union's own order counts.
    sessions = (Attendance.objects
                .filter(_after("updated_at", cursor, SESSION_ATTENDANCE), updated_at__lt=settled)
                .annotate(at=F("updated_at"), kind=Value(SESSION_ATTENDANCE))
                .values_list("at", "kind", "pk").order_by())
    online = (ModuleProgress.objects
              .filter(_after("completed_at", cursor, ONLINE_COMPLETION),
                      completed_at__lt=settled)
              .annotate(at=F("completed_at"), kind=Value(ONLINE_COMPLETION))
              .values_list("at", "kind", "pk").order_by())
    keys = list(sessions.union(online, all=True).order_by("at", "kind", "pk")[:limit])
    attendance = Attendance.objects.select_related("user", "session__course").in_bulk(
        [pk for _, kind, pk in keys if kind == SESSION_ATTENDANCE])
    progress = ModuleProgress.objects.select_related("user", "course").in_bulk(
        [pk for _, kind, pk in keys if kind == ONLINE_COMPLETION])
    return [Completion(kind=kind, at=at, attendance=attendance.get(pk) if kind ==
                       SESSION_ATTENDANCE else None,
                       progress=progress.get(pk) if kind == ONLINE_COMPLETION else None)
            for at, kind, pk in keys]
