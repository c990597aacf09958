"""Writes for a clinician's private calendar subscription URL: issue, regenerate, revoke."""
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.models import CalendarFeed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    """Stop the current subscription URL from working; returns how many were revoked."""
    return CalendarFeed.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Issue a new subscription URL, revoking the old one (a leaked link stops working)."""
    calendar_feed_revoke(user=user)
    return CalendarFeed.objects.create(user=user)
