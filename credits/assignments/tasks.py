"""The assigned-learning tick beat runs every hour."""
from celery import shared_task

from accounts.services import outgoing_messages_dispatch
from credits.assignments.reminders import assignment_reminders_due_record
from credits.assignments.services import assignments_sweep


@shared_task(acks_late=True)
def assignments_tick() -> dict[str, int]:
    """Every hour: pick up new group members (sign-ups, profile changes), record completions,
    start annual periods, then record and dispatch the due reminders. Idempotent."""
    counts = assignments_sweep()
    dispatched = []
    counts["reminders"] = assignment_reminders_due_record(
        chunk_recorded=lambda: dispatched.append(outgoing_messages_dispatch()))
    counts["dispatched"] = sum(dispatched) + outgoing_messages_dispatch()
    return counts

