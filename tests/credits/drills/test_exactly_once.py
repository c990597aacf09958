"""Exactly once: two scans at the same moment; a broker outage that delays the morning's email
without losing it, and the same send task delivered twice to a real worker."""
import threading
import time

import pytest
from django.db import connection

from accounts.models import OutgoingMessage
from accounts.services import outgoing_messages_dispatch, outgoing_messages_publish
from credits.drills.models import DrillDelivery
from credits.drills.services import drill_deliveries_scan, drill_join
from tests.conftest import (
    _test_database_url,
    broker_queue_length,
    start_celery_worker,
    stop_process,
    wait_for,
)
from tests.factories import UserFactory

from .helpers import MONDAY, at, make_drill


def _learners(course, count):
    users = [UserFactory() for _ in range(count)]
    for user in users:
        drill_join(user=user, course=course, now=at(MONDAY, 6))
    return users


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_deliver_each_learners_questions_once(monkeypatch):
    from credits.drills import services

    course = make_drill(questions=4)
    users = _learners(course, 30)
    monkeypatch.setattr(services, "SCAN_CHUNK", 7)  # many small chunks interleave the scans
    start = threading.Barrier(2)
    results = []

    def scan():
        start.wait()
        try:
            results.append(drill_deliveries_scan(now=at(MONDAY, 7, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.learners for r in results) == 30 and sum(r.questions for r in results) == 60
    drill_mail = OutgoingMessage.objects.filter(kind="drill_questions")
    assert drill_mail.count() == 30
    assert set(drill_mail.values_list("recipient_id", flat=True)) == {u.pk for u in users}
    assert DrillDelivery.objects.count() == 60


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_delays_the_email_and_a_doubled_task_sends_it_once(outage_broker,
                                                                          tmp_path):
    """Redis stops before the morning tick; the questions are recorded and wait; Redis returns,
    the next tick hands them out, a second copy of the task is put on the broker, and a real
    worker sends each learner's email once."""
    course = make_drill(questions=4)
    users = _learners(course, 3)
    outage_broker["stop"]()
    drill_deliveries_scan(now=at(MONDAY, 7, 0))
    assert outgoing_messages_dispatch() == 0
    recorded = OutgoingMessage.objects.filter(kind="drill_questions")
    assert recorded.count() == 3 and set(recorded.values_list("queued_at", flat=True)) == {None}

    outage_broker["restart"]()
    assert drill_deliveries_scan(now=at(MONDAY, 7, 5)).learners == 0
    assert outgoing_messages_dispatch() == 3
    assert outgoing_messages_publish(message_ids=list(recorded.values_list("pk", flat=True)))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = start_celery_worker(
        name="drill-outage-worker", log_path=tmp_path / "worker.log",
        env={"DATABASE_URL": _test_database_url(), "CELERY_BROKER_URL": outage_broker["url"],
             "EMAIL_URL": f"filemail://{mail_dir}"})
    try:
        wait_for(lambda: recorded.filter(status="sent").count() == 3, timeout=60)
        wait_for(lambda: broker_queue_length(outage_broker["url"]) == 0, timeout=30)
        time.sleep(1)  # let the worker finish the duplicate tasks it took last
    finally:
        stop_process(worker)
    delivered = "".join(path.read_text() for path in mail_dir.iterdir())
    for user in users:
        assert delivered.count(f"To: {user.email}") == 1
    # Each email once: its text and HTML parts both carry the question.
    assert delivered.count("Sepsis question 1: which is the next step?") == 2 * 3
    assert set(recorded.values_list("attempts", flat=True)) == {1}
