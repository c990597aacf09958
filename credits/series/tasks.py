"""The hourly series scan: the coordinator's reminder of what each upcoming session still lacks,
once per session (the outbox key makes a second run a no-op)."""
from celery import shared_task
from django.utils import timezone

from accounts.services import outgoing_messages_dispatch
from credits.series import services


@shared_task(acks_late=True)
def series_missing_items_tick() -> dict[str, int]:
    return {"reminders": services.series_missing_items_remind(now=timezone.now()),
            "dispatched": outgoing_messages_dispatch()}
