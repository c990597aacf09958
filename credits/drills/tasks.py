"""The drills' beat tick: record the morning's questions, then hand the emails to workers."""
from celery import shared_task

from accounts.services import outgoing_messages_dispatch

from .services import drill_deliveries_scan


@shared_task(acks_late=True)
def drill_deliveries_tick() -> dict[str, int]:
    dispatched = []
    # Each chunk's emails go to the workers as soon as it commits; the last dispatch also
    # picks up anything an earlier one could not hand out (the broker down).
    result = drill_deliveries_scan(
        after_chunk=lambda: dispatched.append(outgoing_messages_dispatch()))
    return {"learners": result.learners, "questions": result.questions,
            "dispatched": sum(dispatched) + outgoing_messages_dispatch()}
