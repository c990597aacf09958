"""Exactly one certificate and one PDF under real concurrency: two Celery worker processes, a
task delivered many times, and a render that dies halfway."""
import shutil
import threading

import pytest
from django.core.files.base import ContentFile
from django.db import InterfaceError, connection, transaction

from accounts.models import OutgoingMessage
from credits.certificates.models import certificate_pdf_path
from credits.certificates.tasks import certificate_render
from credits.models import Certificate
from tests.conftest import (
    _test_database_url,
    start_celery_worker,
    stop_process,
    wait_for,
)
from tests.credits.certificates.certificate_helpers import claim_credit, make_course


@pytest.fixture
def second_worker(celery_worker_process, tmp_path):
    """Another `celery worker` process on the same queue, beside the suite's own."""
    log_path = tmp_path / "second-worker.log"
    process = start_celery_worker(
        name="second-worker", log_path=log_path,
        env={"DATABASE_URL": _test_database_url(), "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
             "MEDIA_ROOT": str(celery_worker_process["media_root"])})
    yield {"log_path": log_path}
    stop_process(process)


@pytest.fixture
def tasks_in_process():
    """For tests without workers: nothing reaches the queue the suite's shared worker reads."""
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _pdf_files(settings) -> list:
    return sorted((settings.MEDIA_ROOT / "certificates").rglob("*.pdf"))


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_duplicate_deliveries_make_one_certificate_and_one_pdf(
        celery_worker_process, second_worker, clinician, settings):
    worker_media = celery_worker_process["media_root"]
    settings.MEDIA_ROOT = worker_media  # the workers write where this process reads
    mail_before = set(celery_worker_process["mail_dir"].iterdir())
    course = make_course(title="Two workers rounds")
    with transaction.atomic():
        claim_credit(clinician, course)
    certificate = Certificate.objects.get(user=clinician, course=course)
    duplicates = [certificate_render.delay(certificate.pk).id for _ in range(6)]

    def handled(task_id):
        logs = (celery_worker_process["log_path"].read_text()
                + second_worker["log_path"].read_text())
        return [line for line in logs.splitlines() if f"[{task_id}] succeeded" in line]

    def rendered():
        certificate.refresh_from_db()
        return certificate.status == Certificate.Status.READY

    wait_for(rendered, timeout=90)
    wait_for(lambda: all(handled(task_id) for task_id in duplicates), timeout=90)
    assert Certificate.objects.filter(user=clinician, course=course).count() == 1
    assert certificate.attempts == 1 and certificate.version == 1  # rendered exactly once
    folder = worker_media / "certificates" / str(certificate.pk)
    try:
        assert [p.name for p in folder.iterdir()] == ["certificate-v1.pdf"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    message = OutgoingMessage.objects.get(object_key=f"certificate:{certificate.pk}")
    wait_for(lambda: OutgoingMessage.objects.get(pk=message.pk).status == "sent", timeout=60)
    # Leave the shared worker's mailbox as found: other tests count the emails in it.
    for path in set(celery_worker_process["mail_dir"].iterdir()) - mail_before:
        path.unlink()


@pytest.mark.django_db(transaction=True)
def test_render_that_dies_halfway_leaves_nothing_and_the_redelivery_makes_one_pdf(
        clinician, settings, monkeypatch, tasks_in_process):
    course = make_course(title="Crash rounds")
    deliveries = []
    # The first delivery goes to the worker that will die, not to any running worker.
    monkeypatch.setattr(certificate_render, "delay_on_commit", deliveries.append)
    claim_credit(clinician, course)
    assert len(deliveries) == 1
    certificate = Certificate.objects.get()
    storage = certificate.pdf.storage
    half_written = certificate_pdf_path(certificate, "")
    locked, die = threading.Event(), threading.Event()

    class WorkerKilled(Exception):
        pass

    def dying_render():
        # What a killed worker leaves: a lock held by an open transaction and half a file;
        # PostgreSQL rolls the transaction back when the connection goes.
        try:
            with transaction.atomic():
                Certificate.objects.select_for_update().get(pk=certificate.pk)
                storage.save(half_written, ContentFile(b"%PDF-1.7 half"))
                locked.set()
                die.wait(10)
                connection.close()
                raise WorkerKilled
        except (WorkerKilled, InterfaceError):
            pass

    thread = threading.Thread(target=dying_render)
    thread.start()
    locked.wait(10)
    # A duplicate delivery while the dying worker still holds the row skips it.
    assert certificate_render.apply(args=[certificate.pk]).get() == "locked"
    die.set()
    thread.join(10)
    # The broker redelivers the unacknowledged task (acks_late, reject_on_worker_lost).
    assert certificate_render.apply(args=[certificate.pk]).get() == "rendered"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    assert [p.name for p in _pdf_files(settings)] == ["certificate-v1.pdf"]
    with certificate.pdf.open("rb") as handle:
        assert len(handle.read()) > 10_000


@pytest.mark.django_db(transaction=True)
def test_concurrent_claim_signals_make_one_certificate(clinician, tasks_in_process):
    from credits.certificates.services import certificate_sync

    course = make_course(title="Race rounds")
    claim_credit(clinician, course, send=False)
    barrier = threading.Barrier(4)
    errors = []

    def sync():
        try:
            barrier.wait(5)
            certificate_sync(user_id=clinician.pk, course_id=course.pk)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    certificate = Certificate.objects.get(user=clinician, course=course)
    assert certificate.version == 1


@pytest.mark.django_db(transaction=True)
def test_the_recovery_tick_queues_again_only_renders_lost_with_their_worker(
        clinician, other_clinician, settings, monkeypatch, tasks_in_process):
    """tests/reliability/test_worker_kill.py kills a real worker; here the states it leaves."""
    from datetime import timedelta

    from django.utils import timezone

    from credits.certificates import services, tasks

    queued = []
    monkeypatch.setattr(tasks.certificate_render, "delay_on_commit", lambda *args: None)
    monkeypatch.setattr(tasks.certificate_batch_render, "delay_on_commit", queued.append)
    course = make_course(title="Recovery rounds")
    claim_credit(clinician, course)
    claim_credit(other_clinician, course)
    lost, waiting = Certificate.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(seconds=settings.CERTIFICATE_RENDER_LEASE_SECONDS + 1)
    Certificate.objects.filter(pk=lost.pk).update(render_started_at=long_ago)

    assert services.certificate_renders_recover() == 1
    assert queued == [[lost.pk]]
    # Queued long ago and never begun: the task was lost with the broker.
    assert services.certificate_renders_recover(
        now=timezone.now() + timedelta(minutes=settings.CERTIFICATE_RENDER_REQUEUE_MINUTES + 1),
    ) == 2
    # Being rendered (locked) or done: left alone.
    services.certificate_batch_render_now(certificate_ids=[lost.pk, waiting.pk])
    assert services.certificate_renders_recover(now=timezone.now() + timedelta(days=1)) == 0
