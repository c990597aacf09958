"""When an action queued offline was taken. The service worker adds the header
`X-Recorded-At` (ISO 8601) to a request it queued while the network was down; the views that
accept queued actions (a drill answer, a check-in, a lesson read) pass this time to their
service instead of the time the request arrives.

The header is the learner's own claim, so it is bounded: a time in the future counts as now,
and a time more than OFFLINE_RECORDED_AT_MAX_MINUTES old is not believed (the action counts
at its arrival, so a check-in then meets the window as it is now).
"""
import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

HEADER = "X-Recorded-At"


def recorded_at(request, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    raw = request.headers.get(HEADER, "")
    try:
        claimed = parse_datetime(raw.strip()) if raw else None
    except ValueError:
        claimed = None
    if claimed is None or timezone.is_naive(claimed):
        return now
    if claimed > now:
        return now
    if now - claimed > datetime.timedelta(minutes=settings.OFFLINE_RECORDED_AT_MAX_MINUTES):
        return now
    return claimed


def is_warming(request) -> bool:
    """The service worker fetching pages ahead for offline reading: nothing was read yet, so
    the view records no progress."""
    return request.headers.get("X-Offline-Warm") == "1"
