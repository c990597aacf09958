"""Reminders that fall due while Redis is down go out after it returns: none lost, none doubled.

The test owns a redis-server on a spare port as the Celery broker, stops it while the beat tick
records due reminders, restarts it, and lets a real worker on that broker deliver them.
"""
import datetime
import logging
import shutil
import socket
import time

import pytest
from django.utils import timezone

from accounts.models import OutgoingMessage
from accounts.services import outgoing_messages_publish
from courses.tasks import session_reminders_tick
from cpd_portal.celery import app as celery_app
from tests.conftest import (
    _test_database_url,
    broker_queue_length,
    start_celery_worker,
    start_redis_server,
    stop_process,
    wait_for,
)
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _use_broker(url: str) -> None:
    # Forget the pooled connections to the previous broker, as Celery does after a fork (they
    # stay open in kombu's registry of pools, ready for when the original broker is back).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.broker_url = url


@pytest.fixture
def outage_broker(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()

    def start():
        return start_redis_server(port, tmp_path)

    def stop():
        broker["process"].terminate()
        broker["process"].wait()

    broker = {"process": start(), "url": f"redis://127.0.0.1:{port}/0"}
    broker["stop"] = stop
    broker["restart"] = lambda: broker.update(process=start())
    original = celery_app.conf.broker_url
    _use_broker(broker["url"])
    yield broker
    _use_broker(original)
    if broker["process"].poll() is None:
        stop()


def _start_worker(broker_url: str, mail_dir, log_path):
    return start_celery_worker(
        name="outage-worker", log_path=log_path,
        env={"DATABASE_URL": _test_database_url(), "CELERY_BROKER_URL": broker_url,
             "EMAIL_URL": f"filemail://{mail_dir}"})


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reminders_due_while_the_broker_is_down_go_out_once_after_it_returns(
        outage_broker, tmp_path, caplog):
    starts_at = timezone.now() + datetime.timedelta(hours=20)
    session = SessionFactory(starts_at=starts_at,
                             ends_at=starts_at + datetime.timedelta(hours=1))
    clinicians = [UserFactory(email=f"outage{n}@hospital.example") for n in range(3)]
    for clinician in clinicians:
        EnrolmentFactory(user=clinician, course=session.course)

    outage_broker["stop"]()
    with caplog.at_level(logging.WARNING, logger="accounts.services"):
        started = time.monotonic()
        assert session_reminders_tick() == {"due": 3, "dispatched": 0}
        assert time.monotonic() - started < 15
    assert "Broker unavailable: 3 message(s) stay queued" in caplog.text
    recorded = OutgoingMessage.objects.filter(kind="session_reminder")
    assert recorded.count() == 3
    assert set(recorded.values_list("status", flat=True)) == {"queued"}
    assert set(recorded.values_list("queued_at", flat=True)) == {None}

    outage_broker["restart"]()
    assert session_reminders_tick() == {"due": 3, "dispatched": 3}
    # A second copy of every task on the broker, as a sweep of lost tasks would leave.
    assert outgoing_messages_publish(message_ids=list(recorded.values_list("pk", flat=True)))

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(outage_broker["url"], mail_dir, tmp_path / "worker.log")
    try:
        wait_for(lambda: recorded.filter(status="sent").count() == 3, timeout=60)
        assert session_reminders_tick() == {"due": 3, "dispatched": 0}
        wait_for(lambda: broker_queue_length(outage_broker["url"]) == 0, timeout=30)
        time.sleep(1)  # let the worker finish the duplicate tasks it took last
    finally:
        stop_process(worker)

    # The file backend writes one file per SMTP connection, i.e. per batch.
    delivered = "".join(path.read_text() for path in mail_dir.iterdir())
    for clinician in clinicians:
        assert delivered.count(f"To: {clinician.email}") == 1
    assert delivered.count("To: ") == 3
    assert set(recorded.values_list("attempts", flat=True)) == {1}
