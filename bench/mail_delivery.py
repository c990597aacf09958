"""The harness of the email benchmarks (bench.reminders, bench.drills): a private redis-server
as broker, an aiosmtpd sink in its own process that counts what it receives, real `celery
worker` processes sending into it, and the baseline: the same messages sent with plain smtplib
over one connection to the same sink.

Import this module before Django is set up: it sets the production settings the workers and
the scan run with (no DEBUG query log).
"""
import contextlib
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing import Event, Process, Value
from pathlib import Path

from credits.certificates.openbadges.keys import new_signing_key_pem

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("CREDENTIAL_SIGNING_KEY", new_signing_key_pem())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

Message = tuple[str, str, bytes]  # sender, recipient, the whole message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)


@contextlib.contextmanager
def private_broker(queue: str):
    """A redis-server of the benchmark's own on a spare port (a shared Redis database could be
    flushed under it by a test run clearing its cache), used as Celery's broker and queue."""
    data_dir = tempfile.mkdtemp(prefix=f"{queue}-redis-")
    port = free_port()
    broker = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", data_dir], stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"],
                                        capture_output=True).returncode == 0, 10, "redis-server")
        os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
        os.environ["CELERY_QUEUE"] = queue
        yield
    finally:
        broker.terminate()
        broker.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def _run_sink(port: int, received, distinct, ready) -> None:
    """An SMTP server that accepts and counts every message, and the distinct Message-IDs among
    them (a separate process): a message sent twice counts twice in `received`, once in
    `distinct`."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    seen = set()

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            header = MESSAGE_ID.search(envelope.content)
            key = header.group(1) if header else None
            if key not in seen:
                seen.add(key)
                with distinct.get_lock():
                    distinct.value += 1
            return "250 OK"

    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def _start_workers(count: int, smtp_port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "LOG_LEVEL": "WARNING"}
    log = open(log_path, "w")  # noqa: SIM115  (kept open for the worker's lifetime)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cpd_portal", "worker", "--pool", "prefork",
         "--concurrency", str(count), "--loglevel", "INFO", "--without-gossip",
         "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, 60,
             "the worker to start")
    if process.poll() is not None:
        raise SystemExit(f"worker did not start:\n{log_path.read_text()}")
    return process


def _smtplib_send(messages: list[Message], port: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, recipient, body in messages:
            smtp.sendmail(sender, [recipient], body)
    return time.perf_counter() - started


@dataclass
class Delivery:
    delivered: object  # what `deliver` returned
    portal_seconds: float
    portal_received: int
    portal_distinct: int  # distinct Message-IDs among portal_received
    baseline_messages: int
    baseline_seconds: float
    baseline_received: int

    def lines(self, count: int) -> list[str]:
        """The figures every email benchmark prints, `ratio=` last."""
        portal_rate = count / self.portal_seconds
        baseline_rate = self.baseline_messages / self.baseline_seconds
        return [f"portal_seconds={self.portal_seconds:.2f}",
                f"baseline_seconds={self.baseline_seconds:.2f}",
                f"baseline_sink_received={self.baseline_received}",
                f"portal_messages_per_second={portal_rate:.0f}",
                f"baseline_messages_per_second={baseline_rate:.0f}",
                f"sink_received={self.portal_received}",
                f"sink_distinct_message_ids={self.portal_distinct}",
                f"ratio={portal_rate / baseline_rate:.2f}"]


def delivery_measure(*, name: str, workers: int, count: int, deliver: Callable[[], object],
                     baseline_messages: Callable[[], list[Message]]) -> Delivery:
    """Time `deliver()` until the sink has `count` messages and the outbox marks them sent,
    then the smtplib baseline of `baseline_messages()` into the same sink."""
    from accounts.models import OutgoingMessage

    received = Value("q", 0)
    distinct = Value("q", 0)
    ready = Event()
    port = free_port()
    sink = Process(target=_run_sink, args=(port, received, distinct, ready), daemon=True)
    sink.start()
    ready.wait(10)
    log_path = Path(os.environ.get("VAR_DIR", PROJECT_ROOT / "var")) / f"{name}-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    worker = _start_workers(workers, port, log_path)
    try:
        started = time.perf_counter()
        delivered = deliver()
        wait_for(lambda: received.value >= count, 3600, "the sink to receive everything")
        wait_for(lambda: OutgoingMessage.objects.filter(status="sent").count() >= count,
                 120, "every row to be marked sent")
        portal_seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(60)
    time.sleep(1)  # nothing may arrive late: the count below is final
    portal_received = received.value
    portal_distinct = distinct.value

    messages = baseline_messages()
    received.value = 0
    baseline_seconds = _smtplib_send(messages, port)
    wait_for(lambda: received.value >= len(messages), 60, "the baseline to arrive")
    sink.terminate()
    return Delivery(delivered, portal_seconds, portal_received, portal_distinct, len(messages),
                    baseline_seconds, received.value)


def messages_by_substitution(groups: Iterable[list], variable_parts) -> list[Message]:
    """The messages the portal sent, for the baseline: each group's first outbox row rendered
    by the portal once, then personalised per row by substituting `variable_parts(row)` (the
    recipient's name, address, tokens and links) for the sample's (untimed preparation)."""
    from django.core.mail.message import sanitize_address

    from accounts.tasks import _build

    from_email = os.environ.get("DEFAULT_FROM_EMAIL", "cme-office@example.org")
    messages = []
    for rows in groups:
        sample = rows[0]
        template = _build(sample, {}).message().as_string(linesep="\r\n")
        sample_parts = variable_parts(sample)
        pattern = re.compile("|".join(re.escape(part) for part in
                                      sorted(sample_parts, key=len, reverse=True)))
        for row in rows:
            swaps = dict(zip(sample_parts, variable_parts(row), strict=True))
            body = pattern.sub(lambda match, swaps=swaps: swaps[match.group(0)], template)
            # The envelope address as Django gives it to the server (a non-ASCII local part
            # as an encoded word).
            messages.append((from_email, sanitize_address(row.recipient.email, "utf-8"),
                             body.encode()))
    return messages
