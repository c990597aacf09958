"""The weekly "Next for you" digest, queued by a daily beat tick (idempotent: one email per
learner and ISO week, by the outbox's occurrence key)."""
from celery import shared_task

from credits.suggestions import services


@shared_task(acks_late=True)
def next_for_you_tick() -> int:
    return services.next_for_you_digest_batch_queue()
