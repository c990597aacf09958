"""The drills' beat tick: record the morning's questions, then hand the emails to workers."""
from celery import shared_task

from accounts.services import outgoing_messages_dispatch

from .services import drill_deliveries_scan


@shared_task(acks_late=True)
def drill_deliveries_tick() -> dict[str, int]:
    result = drill_deliveries_scan()
    return {"learners": result.learners, "questions": result.questions,
            "dispatched": outgoing_messages_dispatch()}
