"""A queue per kind of work (cpd_portal/queues.py): every task has its place, and with a worker
per queue, as a deployment runs them, a slow export does not hold up an email."""
import importlib
import time

import psycopg2
import pytest
from django.db import transaction

from accounts.beat import BEAT_TASKS
from accounts.models import OutgoingMessage
from accounts.services import outgoing_message_queue
from cpd_portal import queues
from cpd_portal.celery import TASK_PACKAGES, app
from credits.ledger.models import CreditRecord
from credits.reports.models import ExportRun
from credits.reports.tasks import export_run_build
from tests.conftest import _test_database_url, start_celery_worker, stop_process, wait_for
from tests.factories import CreditRecordFactory, UserFactory


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_goes_to_its_kinds_queue_and_only_the_ticks_to_the_default():
    for package in TASK_PACKAGES:  # what a worker's autodiscovery imports
        importlib.import_module(f"{package}.tasks")
    default = app.conf.task_default_queue
    tasks = {name for name in app.tasks if not name.startswith("celery.")}
    ticks = {entry.task for entry in BEAT_TASKS.values()}
    assert set(queues.ROUTES) <= tasks  # no route names a task that is gone
    assert tasks - set(queues.ROUTES) <= ticks  # whatever is not routed is a scan
    for name in tasks:
        kind = queues.ROUTES.get(name)
        assert _queue_of(name) == (f"{default}-{kind}" if kind else default), name
    # The test settings name every queue after the xdist worker (tests/settings.py).
    assert {queue.name for queue in app.conf.task_queues} == {
        default, *(f"{default}-{kind}" for kind in queues.KINDS)}
    # Each on its own exchange and key, so a message reaches its queue alone.
    assert all(queue.exchange.name == queue.routing_key == queue.name
               for queue in app.conf.task_queues)


@pytest.fixture
def dedicated_workers(tmp_path):
    """An exports worker and an email worker, each consuming its own queue only."""
    app.control.purge()
    default = app.conf.task_default_queue
    started = {}
    for kind in (queues.EXPORTS, queues.EMAIL):
        started[kind] = start_celery_worker(
            name=f"{kind}-only", log_path=tmp_path / f"{kind}.log",
            queues=(queues.queue_name(default, kind),),
            env={"DATABASE_URL": _test_database_url(),
                 "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
                 "MEDIA_ROOT": str(tmp_path / "media")})
    yield tmp_path
    for process in started.values():
        stop_process(process)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_slow_export_does_not_delay_an_account_email(dedicated_workers, admin_user, capsys):
    CreditRecordFactory.create_batch(3)
    run = ExportRun.objects.create(exporter="credit_report", format="csv",
                                   delivery="background", requested_by=admin_user, rows_total=3)
    # The export is slow: another session holds the ledger table, so the exports worker waits
    # on its read for as long as the test says.
    blocker = psycopg2.connect(_test_database_url())
    try:
        with blocker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CreditRecord._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        export_run_build.delay(run.pk)
        wait_for(lambda: ExportRun.objects.get(pk=run.pk).status == "running", timeout=30)

        started = time.monotonic()
        with transaction.atomic():
            message = outgoing_message_queue(recipient=UserFactory(), kind="welcome",
                                             object_key="user:slow-export")
        wait_for(lambda: OutgoingMessage.objects.get(pk=message.pk).status == "sent",
                 timeout=30)
        email_seconds = time.monotonic() - started
        assert ExportRun.objects.get(pk=run.pk).status == "running"  # still stuck
    finally:
        blocker.rollback()
        blocker.close()
    wait_for(lambda: ExportRun.objects.get(pk=run.pk).status == "done", timeout=60)
    # Each worker saw its own kind of task only.
    assert "Task credits.reports.tasks.export_run_build[" not in (
        dedicated_workers / "email.log").read_text()
    assert "Task accounts.tasks.outgoing_message_batch_send[" not in (
        dedicated_workers / "exports.log").read_text()
    with capsys.disabled():  # the figure for docs/operations.md; speed is not asserted
        print(f"\nemail sent {email_seconds:.2f} s after queuing, with the export worker busy")
