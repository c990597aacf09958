"""Reminder throughput: 100,000 session reminders through the portal's real path against plain
smtplib, both into the same local SMTP sink.

Portal run: the beat tick function (courses.tasks.session_reminders_tick: scan, record rows,
hand out batches) and real `celery worker` processes (accounts.tasks.send_outgoing_messages:
claim, render HTML + text, one SMTP connection per batch, mark sent) deliver into an aiosmtpd
sink on loopback, in its own process, that counts what it receives. Baseline: the same 100,000
messages (same recipients and bodies, rendered beforehand) sent with smtplib over one
connection to the same sink.

It WIPES the database it is given (`manage.py flush`), so use a scratch one. The broker is a
redis-server the benchmark starts on a spare port (a shared Redis database could be flushed
under it by a test run clearing its cache):

    createdb -h 127.0.0.1 -U postgres cpd_bench_reminders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench_reminders \\
    .venv/bin/python -m bench.reminders [--count 100000] [--workers 4]

Prints portal_messages_per_second=, baseline_messages_per_second=, sink_received= (the portal
run's count, which must equal --count) and, last, ratio=.
"""
import argparse
import datetime
import multiprocessing
import os
import re
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from credits.certificates.openbadges.keys import new_signing_key_pem

# Workers and the scan run with production settings (no DEBUG query log).
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("CREDENTIAL_SIGNING_KEY", new_signing_key_pem())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_broker(port: int, data_dir: str) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", data_dir], stdout=subprocess.DEVNULL)
    _wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"],
                                     capture_output=True).returncode == 0, 10, "redis-server")
    return process


def _run_sink(port: int, received, ready) -> None:
    """An SMTP server that accepts and counts every message (a separate process)."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)


def _prepare(count: int) -> None:
    """Flush the scratch database and make `count` session reminders due."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from courses.models import Course, Enrolment, Session

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name):
        raise SystemExit(f"refusing to wipe {name!r}: give a scratch database whose name "
                         "contains 'bench' in DATABASE_URL")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    users = User.objects.bulk_create(
        [User(email=f"clinician{n}@bench.example", full_name=f"Clinician {n}", password="!",
              time_zone="America/New_York" if n % 2 else "America/Chicago")
         for n in range(count)], batch_size=5000)
    starts_at = timezone.now() + datetime.timedelta(hours=20)
    per_session = -(-count // SESSIONS)
    for index in range(SESSIONS):
        course = Course.objects.create(
            title=f"Grand rounds {index}", slug=f"grand-rounds-{index}",
            summary="Hospital medicine grand rounds.", status=Course.Status.PUBLISHED)
        Session.objects.create(course=course, starts_at=starts_at,
                               ends_at=starts_at + datetime.timedelta(hours=1),
                               location="Auditorium B")
        Enrolment.objects.bulk_create(
            [Enrolment(user=user, course=course, status=Enrolment.Status.ENROLLED)
             for user in users[index * per_session:(index + 1) * per_session]],
            batch_size=5000)


def _start_workers(count: int, smtp_port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "LOG_LEVEL": "WARNING"}
    log = open(log_path, "w")  # noqa: SIM115  (kept open for the worker's lifetime)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cpd_portal", "worker", "--pool", "prefork",
         "--concurrency", str(count), "--loglevel", "INFO", "--without-gossip",
         "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    _wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, 60,
              "the worker to start")
    if process.poll() is not None:
        raise SystemExit(f"worker did not start:\n{log_path.read_text()}")
    return process


def _baseline_messages() -> list[tuple[str, str, bytes]]:
    """The same messages the portal sent: each session's email rendered by the portal once,
    then personalised per recipient by substitution (untimed preparation)."""
    from accounts.models import OutgoingMessage
    from accounts.notifications import unsubscribe_token
    from accounts.tasks import _build

    from_email = os.environ.get("DEFAULT_FROM_EMAIL", "cme-office@example.org")
    messages = []
    for object_key in (OutgoingMessage.objects.order_by().values_list("object_key", flat=True)
                       .distinct()):
        rows = list(OutgoingMessage.objects.filter(object_key=object_key)
                    .select_related("recipient").order_by("pk"))
        sample = rows[0]
        template = _build(sample, {}).message().as_string(linesep="\r\n")
        sample_token = unsubscribe_token(user_id=sample.recipient_id,
                                         category="session_reminders")
        pattern = re.compile("|".join(re.escape(s) for s in (
            sample_token, sample.recipient.email, sample.recipient.full_name)))
        for row in rows:
            user = row.recipient
            swaps = {sample_token: unsubscribe_token(user_id=user.pk,
                                                     category="session_reminders"),
                     sample.recipient.email: user.email,
                     sample.recipient.full_name: user.full_name}
            body = pattern.sub(lambda match, swaps=swaps: swaps[match.group(0)], template)
            messages.append((from_email, user.email, body.encode()))
    return messages


def _baseline(messages, port: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, recipient, body in messages:
            smtp.sendmail(sender, [recipient], body)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    # Twice the cores, as a deployment would run it: a sending worker spends much of each
    # message waiting on SMTP replies, which other worker processes overlap.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()

    broker_dir = tempfile.mkdtemp(prefix="bench-reminders-redis-")
    broker_port = _free_port()
    broker = _start_broker(broker_port, broker_dir)
    os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{broker_port}/0"
    os.environ["CELERY_QUEUE"] = "bench-reminders"
    try:
        _run(args)
    finally:
        broker.terminate()
        broker.wait()
        shutil.rmtree(broker_dir, ignore_errors=True)


def _run(args) -> None:
    import django

    django.setup()
    from accounts.models import OutgoingMessage
    from courses.tasks import session_reminders_tick

    _prepare(args.count)

    received = multiprocessing.Value("q", 0)
    ready = multiprocessing.Event()
    port = _free_port()
    sink = multiprocessing.Process(target=_run_sink, args=(port, received, ready), daemon=True)
    sink.start()
    ready.wait(10)
    log_path = Path(os.environ.get("VAR_DIR", PROJECT_ROOT / "var")) / "bench-reminders-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    workers = _start_workers(args.workers, port, log_path)
    try:
        started = time.perf_counter()
        tick = session_reminders_tick()
        _wait_for(lambda: received.value >= args.count, 3600, "the sink to receive everything")
        _wait_for(lambda: OutgoingMessage.objects.filter(status="sent").count() >= args.count,
                  120, "every row to be marked sent")
        portal_seconds = time.perf_counter() - started
    finally:
        workers.terminate()
        workers.wait(60)
    time.sleep(1)  # nothing may arrive late: the count below is final
    portal_received = received.value
    print(f"scan_due={tick['due']}")
    print(f"portal_seconds={portal_seconds:.2f}")

    messages = _baseline_messages()
    received.value = 0
    baseline_seconds = _baseline(messages, port)
    _wait_for(lambda: received.value >= len(messages), 60, "the baseline to arrive")
    sink.terminate()

    portal_rate = args.count / portal_seconds
    baseline_rate = len(messages) / baseline_seconds
    print(f"baseline_seconds={baseline_seconds:.2f}")
    print(f"baseline_sink_received={received.value}")
    print(f"portal_messages_per_second={portal_rate:.0f}")
    print(f"baseline_messages_per_second={baseline_rate:.0f}")
    print(f"sink_received={portal_received}")
    print(f"ratio={portal_rate / baseline_rate:.2f}")


if __name__ == "__main__":
    main()
