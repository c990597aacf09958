"""Sending Web Push deliveries (idempotent: each row is claimed from queued by one worker)."""
from celery import shared_task

from . import services


@shared_task(acks_late=True)
def push_delivery_batch_send(delivery_ids: list[int]) -> dict[str, int]:
    return services.push_delivery_batch_send_now(delivery_ids)
