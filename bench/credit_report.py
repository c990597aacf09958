"""Benchmark: the credit report for N credit records through the real export path, against
psql's \\copy of the same SELECT measured in the same run.

    python -m bench.credit_report --rows 1000000

The portal figure is the path a large export takes in the worker (`exporter.write` into a
file; for the credit report that is COPY ... TO STDOUT). The path small exports stream to the
browser (server-side cursor and the Python CSV writer) is measured too, as streamed_cursor_*.
Uses DATABASE_URL (PostgreSQL). When the ledger holds fewer than N active credit records it
first loads the missing ones (learners, activities with sessions, credit records) with
set-based INSERTs. Prints rows, rows per second for the portal and psql, the exporting
process's peak memory, and last the ratio portal / psql (goal >= 0.5, memory <= 150 MB).
"""
import argparse
import os
import re
import subprocess
import threading
import time
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
django.setup()

import psutil  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Course, Session  # noqa: E402
from credits.models import CreditRecord  # noqa: E402
from credits.reports.exporters import EXPORTERS  # noqa: E402
from credits.reports.exporters.credit_report import credit_report_copy_select  # noqa: E402

FILTERS = {"status": "active"}


def load_rows(missing: int) -> None:
    """Add `missing` active credit records: one learner per 10 records, one activity (two
    sessions each) per 100, each learner's records on different activities."""
    tag = uuid.uuid4().hex[:8]
    learners = max(1, -(-missing // 10))
    activities = max(10, missing // 100)
    started = time.perf_counter()
    with transaction.atomic():
        courses = Course.objects.bulk_create(
            [Course(title=f"Bench activity {tag}-{i}", slug=f"bench-{tag}-{i}",
                    summary="Benchmark activity", status=Course.Status.PUBLISHED,
                    format=Course.Format.LIVE) for i in range(activities)], batch_size=2000)
        day = timezone.now().replace(hour=13, minute=0, second=0, microsecond=0)
        Session.objects.bulk_create(
            [Session(course=course, starts_at=day - timezone.timedelta(days=30 + offset),
                     ends_at=day - timezone.timedelta(days=30 + offset, hours=-1),
                     location="Auditorium B")
             for course in courses for offset in (0, 1)], batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO accounts_user (password, is_superuser, email, full_name, degree,
                    profession, specialty, npi, board_id, certifying_board, nabp_eprofile_id,
                    time_zone, language, consents_to_credit_reporting, is_staff, is_active,
                    date_joined)
                SELECT '!', false, 'bench-' || %s || '-' || g || '@bench.example',
                       'Bench Learner ' || g, CASE WHEN g %% 3 = 0 THEN 'RN' ELSE 'MD' END,
                       CASE WHEN g %% 3 = 0 THEN 'nurse' ELSE 'physician' END, '',
                       lpad((1000000000 + g)::text, 10, '0'), (200000 + g)::text, 'ABIM', '',
                       'America/New_York', '', true, false, true, now()
                FROM generate_series(0, %s - 1) g
                """, [tag, learners])
            cursor.execute(
                """
                INSERT INTO credits_creditrecord (user_id, course_id, credit_type, amount,
                    completed_on, claimed_at, source, status, void_reason)
                SELECT u.ids[(g %% %s) + 1],
                       c.ids[((g %% %s) + g / %s) %% %s + 1],
                       CASE WHEN g %% 3 = 0 THEN 'ancc' ELSE 'ama_pra_1' END,
                       1.00 + (g %% 4) * 0.25, date '2025-01-01' + (g %% 700), now(),
                       'claim', 'active', ''
                FROM generate_series(0, %s - 1) g,
                     (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_user
                      WHERE email LIKE 'bench-' || %s || '-%%') u,
                     (SELECT array_agg(id ORDER BY id) AS ids FROM courses_course
                      WHERE slug LIKE 'bench-' || %s || '-%%') c
                """, [learners, learners, learners, activities, missing, tag, tag])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded_rows={missing}")
    print(f"load_seconds={time.perf_counter() - started:.1f}")


class PeakMemory:
    """Samples this process's resident memory every 20 ms in a thread."""

    def __init__(self):
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _timed_export(path: str, write) -> tuple[int, float, float]:
    """Rows, seconds and peak MB of `write(exporter, filters, out, on_rows)` into `path`."""
    exporter = EXPORTERS["credit_report"]
    cleaned = exporter.clean_filters(FILTERS)
    rows = 0

    def count(done: int) -> None:
        nonlocal rows
        rows = done

    with PeakMemory() as memory, open(path, "wb") as out:
        started = time.perf_counter()
        write(exporter, cleaned, out, count)
        elapsed = time.perf_counter() - started
    return rows, elapsed, memory.peak / (1024 * 1024)


def export_through_portal(path: str) -> tuple[int, float, float]:
    """The real path of a large export: the exporter writing CSV into a file, as the worker
    does (for the credit report: COPY ... TO STDOUT)."""
    return _timed_export(path, lambda exporter, filters, out, on_rows: exporter.write(
        "csv", filters, out, on_rows=on_rows))


def stream_through_cursor(path: str) -> tuple[int, float, float]:
    """The path small exports take to the browser: server-side cursor, Python CSV writer."""
    def write(exporter, filters, out, on_rows):
        for chunk in exporter.iter_bytes("csv", filters, on_rows=on_rows):
            out.write(chunk)

    return _timed_export(path, write)


def export_through_psql(path: str) -> tuple[int, float]:
    exporter = EXPORTERS["credit_report"]
    # The very statement the portal hands to COPY, so both sides compute the same rows.
    select = credit_report_copy_select(exporter.clean_filters(FILTERS))
    select = " ".join(select.split())  # \copy takes its query on one line
    started = time.perf_counter()
    result = subprocess.run(
        ["psql", os.environ["DATABASE_URL"], "-X", "-c",
         f"\\copy ({select}) to '{path}' csv header"],
        check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    match = re.search(r"COPY (\d+)", result.stdout)
    if match is None:
        raise SystemExit(f"psql did not report a row count: {result.stdout!r}")
    return int(match.group(1)), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")

    existing = CreditRecord.objects.filter(status=CreditRecord.Status.ACTIVE).count()
    if existing < args.rows:
        load_rows(args.rows - existing)
    connection.close()

    export_through_psql("/tmp/x.csv")  # warm the cache so neither side pays for cold pages
    portal_rows, portal_seconds, peak_mb = export_through_portal("/tmp/portal-credit-report.csv")
    psql_rows, psql_seconds = export_through_psql("/tmp/x.csv")
    cursor_rows, cursor_seconds, cursor_peak_mb = stream_through_cursor(
        "/tmp/portal-credit-report-streamed.csv")
    if not portal_rows == psql_rows == cursor_rows:
        raise SystemExit(f"row counts differ: portal {portal_rows}, psql {psql_rows}, "
                         f"streamed {cursor_rows}")

    portal_rate = portal_rows / portal_seconds
    psql_rate = psql_rows / psql_seconds
    print(f"rows={portal_rows}")
    print(f"portal_seconds={portal_seconds:.2f}")
    print(f"psql_seconds={psql_seconds:.2f}")
    print(f"portal_rows_per_second={portal_rate:.0f}")
    print(f"psql_rows_per_second={psql_rate:.0f}")
    print(f"peak_rss_mb={peak_mb:.1f}")
    print(f"streamed_cursor_seconds={cursor_seconds:.2f}")
    print(f"streamed_cursor_rows_per_second={cursor_rows / cursor_seconds:.0f}")
    print(f"streamed_cursor_peak_rss_mb={cursor_peak_mb:.1f}")
    print(f"ratio={portal_rate / psql_rate:.2f}")


if __name__ == "__main__":
    main()
