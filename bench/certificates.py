"""Certificates per second: the portal's real render path against plain WeasyPrint.

    python -m bench.certificates [N]

Creates a throwaway database (like the test runner), one course and N (default 1,000)
certificates, then runs the render task's body for each one after the other in this one process:
row lock, snapshot, template, PDF, storage write, Open Badges credential, ready email, commit.
Then it renders N more certificates of a second course the way a bulk regeneration does, with
the batch task's body (RENDER_BATCH_SIZE certificates per transaction). Before timing, as the
baseline does, it renders one certificate of a third course (imports, fonts, templates); each
timed course still lays out its own page. In the same run it
starts the shared baseline (`<repo>/../shared/bench/weasyprint_baseline.py`) as a subprocess.
Prints the rates, the mean PDF size, this process's peak memory after 100 and after N single
renders, batched_ratio, and, last, ratio = single-render rate / baseline rate (the path every
claim takes).
"""
import datetime
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# In CI the repository is cloned with shared/ beside it; SHARED_DIR points elsewhere (worktrees).
BASELINE = (Path(os.environ.get("SHARED_DIR", REPO.parent / "shared")) / "bench"
            / "weasyprint_baseline.py")
BASELINE_CERTIFICATES = 100


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _baseline_rate() -> float:
    if not BASELINE.exists():
        raise SystemExit(f"The shared baseline is missing: {BASELINE}")
    output = subprocess.run([sys.executable, str(BASELINE), str(BASELINE_CERTIFICATES)],
                            check=True, capture_output=True, text=True).stdout
    return float(re.search(r"baseline_certificates_per_second=([\d.]+)", output).group(1))


def _purge_published_emails(app) -> None:
    from cpd_portal.queues import EMAIL, queue_name

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue_name(app.conf.task_default_queue, EMAIL))


def _setup(count: int, name: str,
           title: str = "Medical Grand Rounds: Advances in Sepsis Recognition and Early "
                        "Management") -> list[int]:
    from accounts.models import User
    from courses.models import Course, CreditDesignation, Session
    from credits.models import Certificate

    course = Course.objects.create(
        title=title, slug=f"bench-grand-rounds-{name}", summary="Weekly grand rounds.",
        status="published")
    starts = datetime.datetime(2026, 11, 20, 17, 0, tzinfo=datetime.UTC)
    Session.objects.create(course=course, starts_at=starts,
                           ends_at=starts + datetime.timedelta(minutes=90))
    CreditDesignation.objects.create(course=course, credit_type="ama_pra_1", max_credits="1.50")
    users = User.objects.bulk_create(
        User(email=f"learner{i}@{name}.bench.example", full_name=f"Jordan Example-{i}", degree="MD",
             profession="physician") for i in range(count))
    credits = [{"credit_type": "ama_pra_1", "amount": "1.50", "maximum": "1.50",
                "wording": "AMA PRA Category 1 Credits™"},
               {"credit_type": "abim_moc", "amount": "1.50", "wording": "ABIM MOC points"}]
    statement = ("Teaching Hospital Center for CPD designates this live activity for a maximum of "
                 "1.50 AMA PRA Category 1 Credits™. Physicians should claim only the credit "
                 "commensurate with the extent of their participation in the activity.")
    certificates = Certificate.objects.bulk_create(
        Certificate(user=user, course=course, learner_name=f"{user.full_name}, MD",
                    activity_title=course.title, activity_dates="Held Friday 20 November 2026",
                    completion_date=datetime.date(2026, 11, 20),
                    issue_date=datetime.date(2026, 11, 21), credits=credits,
                    credit_statement=statement)
        for user in users)
    return [certificate.pk for certificate in certificates]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # per-certificate INFO lines would be timed too
    from django.conf import settings
    from django.db import connection

    from cpd_portal.celery import app
    from credits.certificates.services import RENDER_BATCH_SIZE
    from credits.certificates.tasks import certificate_batch_render, certificate_render
    from credits.models import Certificate

    settings.DEBUG = False  # as in production: DEBUG keeps a log of every query in memory
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="cpd-bench-media-")
    # The ready email is queued as in production (a task published after commit); an in-process
    # broker keeps the bench from mailing made-up learners through a real worker.
    app.conf.broker_url = "memory://"
    connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                       serialize=False)
    try:
        # As the baseline renders one PDF before timing (imports, fonts): one certificate of
        # another activity, so the timed activity still lays out its own page.
        warm_up = _setup(1, "warm-up", title="Nursing Grand Rounds: Safe Insulin Practice")
        assert certificate_render.run(warm_up[0]) == "rendered"
        ids = _setup(count, "single")
        rss_at_100 = 0.0
        cpu_start = time.process_time()
        start = time.perf_counter()
        for index, certificate_id in enumerate(ids, start=1):
            outcome = certificate_render.run(certificate_id)  # the task's own body
            assert outcome == "rendered", outcome
            if index % 100 == 0:
                _purge_published_emails(app)
            if index == 100:
                rss_at_100 = _peak_rss_mb()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        rss_at_end = _peak_rss_mb()
        batch_ids = _setup(count, "batched",
                           title="Pharmacy Grand Rounds: Anticoagulation Stewardship in Practice")
        batched_start = time.perf_counter()
        for start in range(0, count, RENDER_BATCH_SIZE):
            outcome = certificate_batch_render.run(batch_ids[start:start + RENDER_BATCH_SIZE])
            assert set(outcome) == {"rendered"}, outcome
            _purge_published_emails(app)
        batched_elapsed = time.perf_counter() - batched_start
        sizes = [certificate.pdf.size for certificate in Certificate.objects.all()]
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
    portal_rate = count / elapsed
    batched_rate = count / batched_elapsed
    baseline_rate = _baseline_rate()
    print(f"certificates={count} ms_each={elapsed / count * 1000:.1f} "
          f"cpu_ms_each={cpu / count * 1000:.1f} database={connection.vendor}")
    print(f"portal_certificates_per_second={portal_rate:.2f}")
    print(f"batched_certificates_per_second={batched_rate:.2f} batch_size={RENDER_BATCH_SIZE}")
    print(f"baseline_certificates_per_second={baseline_rate:.2f}")
    print(f"mean_pdf_bytes={sum(sizes) // len(sizes)}")
    print(f"max_pdf_bytes={max(sizes)}")
    print(f"peak_rss_mb_at_100={rss_at_100:.1f}")
    print(f"peak_rss_mb_at_{count}={rss_at_end:.1f}")
    print(f"batched_ratio={batched_rate / baseline_rate:.2f}")
    print(f"ratio={portal_rate / baseline_rate:.2f}")


if __name__ == "__main__":
    main()
