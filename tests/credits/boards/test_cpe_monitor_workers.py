"""Real worker processes against the local CPE Monitor stand-in: the same report delivered
four times to two workers is submitted once, and a 503 is retried with backoff."""
import datetime
import time
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from credits.boards.services import board_reports_sync
from credits.boards.tasks import cpe_monitor_submit
from credits.models import BoardReport, BoardReportAttempt, CreditRecord
from tests.conftest import _test_database_url, start_celery_worker, stop_process, wait_for
from tests.credits.boards.cpe_monitor_server import API_KEY, PROVIDER_ID, CpeMonitorStandIn
from tests.credits.boards.world import EPROFILE, UAN, acpe_claim, acpe_course, pharmacist

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stand_in():
    with CpeMonitorStandIn(pharmacists={EPROFILE: "04-17"}, uans={UAN}) as server:
        yield server


def _workers(count, stand_in, tmp_path):
    from cpd_portal.celery import app

    app.control.purge()
    env = {"DATABASE_URL": _test_database_url(), "CPE_MONITOR_URL": stand_in.url,
           "CPE_MONITOR_PROVIDER_ID": PROVIDER_ID, "CPE_MONITOR_API_KEY": API_KEY,
           "CPE_MONITOR_TIMEOUT_SECONDS": "5", "CPE_MONITOR_RETRY_SECONDS": "1",
           "EMAIL_URL": "memorymail://"}
    logs = [tmp_path / f"worker-{n}.log" for n in range(count)]
    return logs, [start_celery_worker(name=f"cpe-{n}", log_path=log, env=env)
                  for n, log in enumerate(logs)]


def _submitted(logs) -> list[int]:
    return [log.read_text().count("credits.boards.tasks.cpe_monitor_submit[") // 2
            for log in logs]


def test_duplicate_deliveries_to_two_workers_submit_the_report_once(stand_in, tmp_path):
    stand_in.delay = 3  # the first submission is still in flight when the copies arrive
    logs, workers = _workers(2, stand_in, tmp_path)
    try:
        ana = pharmacist()
        course = acpe_course(ana)
        # The claim's record and report without the ledger's signal, so no certificate
        # rendering keeps a worker busy; board_reports_sync queues the task on commit.
        with transaction.atomic():
            record = CreditRecord.objects.create(
                user=ana, course=course, credit_type="acpe", amount=Decimal("1.00"),
                completed_on=datetime.date.today(), claimed_at=timezone.now(),
                source="claim")
            board_reports_sync(user_id=ana.pk, course_id=course.pk)
        report = BoardReport.objects.get(credit_record=record)
        for _ in range(3):  # the broker redelivers, or a beat tick queues it again
            cpe_monitor_submit.delay(report.pk)

        def accepted():
            return BoardReport.objects.filter(pk=report.pk, status="accepted").first()

        wait_for(accepted, timeout=60)
        wait_for(lambda: sum(_submitted(logs)) >= 4, timeout=60)
        time.sleep(1)
    finally:
        for worker in workers:
            stop_process(worker)
    assert len(stand_in.requests) == 1
    report.refresh_from_db()
    assert report.attempts == 1
    assert BoardReportAttempt.objects.filter(report=report).count() == 1
    assert all(count >= 1 for count in _submitted(logs)), "both workers took a delivery"


def test_a_worker_retries_a_503_with_backoff_and_records_both_attempts(stand_in, tmp_path):
    stand_in.faults.append(("status", 503))
    logs, workers = _workers(1, stand_in, tmp_path)
    try:
        ana = pharmacist()
        record = acpe_claim(ana, acpe_course(ana))

        def accepted():
            return BoardReport.objects.filter(credit_record=record, status="accepted").first()

        report = wait_for(accepted, timeout=60)
    finally:
        for worker in workers:
            stop_process(worker)
    assert report.attempts == 2
    assert [(a.outcome, a.http_status) for a in report.attempt_log.all()] == [
        ("transient", 503), ("accepted", 200)]
    assert len(stand_in.requests) == 2
