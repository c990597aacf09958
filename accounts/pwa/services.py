"""Writes of Web Push: saving and stopping a person's subscriptions, recording the pushes an
outbox message owes (once per subscription), and sending them (each claimed by one worker; a
subscription the push service reports gone, 404 or 410, is pruned)."""
import base64
import binascii
import json
import logging

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pywebpush import WebPushException, webpush

from accounts.models import OutgoingMessage, User
from accounts.notifications import Category, UnknownEmailKind, kind_category

from . import tasks
from .models import PushDelivery, PushSubscription

logger = logging.getLogger(__name__)
# The email categories that also go as a push, and where tapping the notification leads. The
# push follows the category's email choice: switched off there, no push either.
PUSH_CATEGORIES = {
    Category.PRACTICE_DRILLS: "drills:today",
    Category.SESSION_REMINDERS: "learning:my_learning",
    Category.REQUIRED_TRAINING: "learning:my_learning",
}
GONE = (404, 410)


def push_enabled() -> bool:
    return bool(settings.WEBPUSH_VAPID_PRIVATE_KEY)


def vapid_public_key() -> str:
    """The applicationServerKey the browser subscribes with: the VAPID key's public point,
    uncompressed, base64url without padding."""
    raw = base64.urlsafe_b64decode(settings.WEBPUSH_VAPID_PRIVATE_KEY
                                   + "=" * (-len(settings.WEBPUSH_VAPID_PRIVATE_KEY) % 4))
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def _key_bytes(value: str, length: int, name: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length:
        raise ValidationError(f"The browser's {name} key is not valid; turn notifications on "
                              "again.")
    return value


@transaction.atomic
def push_subscription_save(*, user: User, endpoint: str, p256dh: str,
                           auth: str) -> PushSubscription:
    """Keep what the browser's subscribe() returned. The same endpoint again (a second click,
    a renewed subscription) updates its row, and moves to whoever subscribed last."""
    if not push_enabled():
        raise ValidationError("Notifications are not set up on this portal.")
    URLValidator(schemes=settings.WEBPUSH_ENDPOINT_SCHEMES)(endpoint)
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user,
                                     "p256dh": _key_bytes(p256dh, 65, "public"),
                                     "auth": _key_bytes(auth, 16, "authentication")})
    return subscription


@transaction.atomic
def push_subscriptions_stop(*, user: User) -> int:
    """One click stops every notification to every device of the person."""
    deleted, _ = PushSubscription.objects.filter(user=user).delete()
    return deleted


def push_deliveries_record(*, message: OutgoingMessage, title: str) -> list[int]:
    """The pushes an email just sent owes: one per subscription of its recipient, recorded
    once (a second call finds them) and handed to a worker after commit."""
    try:
        category = kind_category(message.kind)
    except UnknownEmailKind:
        return []
    if category not in PUSH_CATEGORIES or not push_enabled():
        return []
    with transaction.atomic():
        subscriptions = list(PushSubscription.objects.filter(user_id=message.recipient_id))
        PushDelivery.objects.bulk_create(
            [PushDelivery(message=message, subscription=subscription, title=title[:200],
                          url=reverse(PUSH_CATEGORIES[category]))
             for subscription in subscriptions], ignore_conflicts=True)
        ids = list(PushDelivery.objects.filter(
            message=message, status=PushDelivery.Status.QUEUED).values_list("pk", flat=True))
        if ids:
            tasks.push_delivery_batch_send.delay_on_commit(ids)
    return ids


def _claim(delivery_ids: list[int]) -> list[PushDelivery]:
    with transaction.atomic():
        rows = list(PushDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk__in=delivery_ids, status=PushDelivery.Status.QUEUED)
                    .select_related("subscription"))
        PushDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=PushDelivery.Status.SENDING)
    return rows


def _push(delivery: PushDelivery) -> None:
    subscription = delivery.subscription
    webpush(
        subscription_info={"endpoint": subscription.endpoint,
                           "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
        data=json.dumps({"title": delivery.title, "url": delivery.url,
                         "tag": delivery.message.kind}),
        vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
        vapid_claims={"sub": settings.WEBPUSH_CONTACT},  # pywebpush adds aud and exp
        ttl=settings.WEBPUSH_TTL_SECONDS, timeout=10)


def push_delivery_batch_send_now(delivery_ids: list[int]) -> dict[str, int]:
    """Send the still-queued deliveries among `delivery_ids`. A push is a nudge beside the
    email, which is the record: a failed push is noted, not retried."""
    outcome = {"sent": 0, "failed": 0, "expired": 0}
    for delivery in _claim(delivery_ids):
        status, error = PushDelivery.Status.SENT, ""
        if delivery.subscription is None:
            status = PushDelivery.Status.EXPIRED
        else:
            try:
                _push(delivery)
            except WebPushException as failure:
                code = failure.response.status_code if failure.response is not None else None
                status = PushDelivery.Status.EXPIRED if code in GONE else PushDelivery.Status.FAILED
                error = str(failure)[:500]
            except requests.RequestException as failure:
                status, error = PushDelivery.Status.FAILED, f"{type(failure).__name__}: {failure}"
        if status == PushDelivery.Status.EXPIRED and delivery.subscription is not None:
            delivery.subscription.delete()  # the delivery keeps its row, without the endpoint
        PushDelivery.objects.filter(pk=delivery.pk).update(
            status=status, last_error=error,
            sent_at=timezone.now() if status == PushDelivery.Status.SENT else None)
        outcome[{"sent": "sent", "expired": "expired"}.get(status, "failed")] += 1
        if error:
            logger.warning("%s: %s", delivery, error)
    return outcome
