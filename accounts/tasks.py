"""Background email delivery for the outgoing-message ledger."""
import logging
import smtplib

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .emails import build_email
from .models import OutgoingMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_ATTEMPTS - 1)
def send_outgoing_message(self, message_id: int) -> str:
    """Send one queued message. A second delivery of the task finds it sent and does nothing."""
    with transaction.atomic():
        message = (OutgoingMessage.objects.select_for_update(skip_locked=True)
                   .select_related("recipient").filter(pk=message_id).first())
        if message is None:
            return "locked-or-missing"
        if message.status == OutgoingMessage.Status.SENT:
            return "already-sent"
        message.status = OutgoingMessage.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    recipient = message.recipient
    email = build_email(kind=message.kind, to=recipient.email,
                        context={"recipient": recipient, **message.context},
                        recipient_time_zone=recipient.time_zone)
    try:
        email.send()
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        OutgoingMessage.objects.filter(pk=message.pk).update(
            status=OutgoingMessage.Status.FAILED, last_error=f"{type(exc).__name__}: {exc}")
        logger.warning("Sending %s failed (attempt %s): %s", message, message.attempts, exc)
        raise self.retry(exc=exc, countdown=min(30 * 2 ** self.request.retries, 1800)) from exc
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=OutgoingMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"
