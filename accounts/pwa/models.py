"""Web Push subscriptions (one per browser or installed app that opted in) and the push
deliveries of outbox messages, keyed so that each goes to each subscription at most once."""
from django.conf import settings
from django.db import models

from accounts.models import OutgoingMessage


class PushSubscription(models.Model):
    """What the browser's PushManager.subscribe() returned: the push service's endpoint and
    the keys the payload is encrypted to (RFC 8291). Pruned when the push service answers 404
    or 410 (the subscription expired or was revoked)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200, help_text="The browser's P-256 public key.")
    auth = models.CharField(max_length=50, help_text="The browser's authentication secret.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of {self.user_id}"


class PushDelivery(models.Model):
    """One outbox message pushed to one subscription: created once (the unique key), claimed
    from queued to sending by one worker, then sent, failed or expired."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Subscription expired (pruned)"

    message = models.ForeignKey(OutgoingMessage, on_delete=models.PROTECT,
                                related_name="push_deliveries")
    subscription = models.ForeignKey(PushSubscription, null=True, on_delete=models.SET_NULL,
                                     related_name="deliveries")
    title = models.CharField(max_length=200, help_text="The email's subject.")
    url = models.CharField(max_length=200, help_text="Where tapping the notification leads.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "push deliveries"
        constraints = [models.UniqueConstraint(fields=["message", "subscription"],
                                               name="push_delivery_once")]

    def __str__(self) -> str:
        return f"Push of message {self.message_id} ({self.status})"
