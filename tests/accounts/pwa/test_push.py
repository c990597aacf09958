"""Web Push beside email, against a local push service implementing RFC 8030, 8291 and 8292
(push_service.py): a clinician turns notifications on, the morning's drill email goes out and
its push arrives once (decrypted, VAPID checked) however often the send runs; a subscription
the push service reports gone (410) is pruned; one click stops every device; a category
switched off for email sends no push either."""
import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationPreference, OutgoingMessage
from accounts.pwa.models import PushDelivery, PushSubscription
from accounts.pwa.services import vapid_public_key
from accounts.pwa.tasks import push_delivery_batch_send
from credits.drills.services import drill_deliveries_scan, drill_join
from tests.credits.drills.helpers import make_drill
from tests.outbox import send_outgoing_message

from .push_service import PushServiceStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service(settings):
    private = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    settings.WEBPUSH_VAPID_PRIVATE_KEY = base64.urlsafe_b64encode(
        private.to_bytes(32, "big")).rstrip(b"=").decode()
    settings.WEBPUSH_ENDPOINT_SCHEMES = ["http", "https"]  # the local service has no TLS
    with PushServiceStandIn(application_server_key=vapid_public_key()) as service:
        yield service


def _subscribe(client, service) -> dict:
    subscription = service.subscribe()
    response = client.post(reverse("pwa:push_subscribe"), json.dumps(subscription),
                           content_type="application/json")
    assert response.status_code == 201
    return subscription


def _drill_email(clinician) -> OutgoingMessage:
    drill = make_drill(questions=2, delivery_hour=0, quiet_hour=24, weekdays_only=False)
    drill_join(user=clinician, course=drill)
    drill_deliveries_scan(now=timezone.now())
    return OutgoingMessage.objects.get(kind="drill_questions", recipient=clinician)


def _pushes_sent() -> list[int]:
    ids = list(PushDelivery.objects.values_list("pk", flat=True))
    for _ in range(2):  # the task delivered twice
        push_delivery_batch_send.apply(args=[ids]).get()
    return ids


def test_a_drill_nudge_reaches_each_device_once_and_a_gone_one_is_pruned(
        client, clinician, push_service):
    client.force_login(clinician)
    phone = _subscribe(client, push_service)
    old_laptop = _subscribe(client, push_service)
    # The same subscription sent again (a second tap): still one row.
    client.post(reverse("pwa:push_subscribe"), json.dumps(phone), content_type="application/json")
    assert PushSubscription.objects.count() == 2
    push_service.gone.add(old_laptop["endpoint"].rsplit("/", 1)[-1])
    message = _drill_email(clinician)

    assert send_outgoing_message(message.pk) == "sent"
    assert send_outgoing_message(message.pk) == "already-sent"
    _pushes_sent()

    phone_id = phone["endpoint"].rsplit("/", 1)[-1]
    received = [payload for subscription, payload in push_service.received
                if subscription == phone_id]
    assert len(received) == 1 and push_service.refused == [(410, "gone")]
    assert received[0]["url"] == reverse("drills:today")
    assert "question" in received[0]["title"].lower()
    assert not PushSubscription.objects.filter(endpoint=old_laptop["endpoint"]).exists()
    assert sorted(PushDelivery.objects.values_list("status", flat=True)) == ["expired", "sent"]


def test_one_click_stops_every_device_and_email_choices_rule_the_push(
        client, clinician, push_service):
    client.force_login(clinician)
    _subscribe(client, push_service)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "Notifications are on for 1 device." in page
    assert client.post(reverse("pwa:push_stop")).status_code == 302
    assert not PushSubscription.objects.exists()

    _subscribe(client, push_service)
    NotificationPreference.objects.create(user=clinician, category="practice_drills",
                                          enabled=False)
    message = _drill_email(clinician)
    assert send_outgoing_message(message.pk) == "skipped"
    assert not PushDelivery.objects.exists() and not push_service.received


def test_a_subscription_with_bad_keys_is_refused_plainly(client, clinician, push_service):
    client.force_login(clinician)
    subscription = push_service.subscribe()
    subscription["keys"]["p256dh"] = "short"
    response = client.post(reverse("pwa:push_subscribe"), json.dumps(subscription),
                           content_type="application/json")
    assert response.status_code == 400
    assert "not valid" in response.json()["error"]
    assert not PushSubscription.objects.exists()
