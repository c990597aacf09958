"""Benchmark: SCORM commits through the portal's commit endpoint under gunicorn against a bare
INSERT.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench
    .venv/bin/python -m bench.scorm_commits

Use a scratch database: the benchmark migrates it and adds a published SCORM 1.2 activity with
BENCH_LEARNERS (1,000) enrolled learners, each with an open attempt (kept for the next run) and
a new signed-in session. Every learner commits every 30 simulated seconds for 10 simulated
minutes (20 commits each), as scorm-again's autocommit does, from BENCH_THREADS (8) concurrent
HTTP clients to the portal under gunicorn (production settings, BENCH_WORKERS (3) workers as
the Dockerfile runs it, on BENCH_PORT if set): session, Origin check, the attempt's lock, the
commit row, the attempt's summary, the completion check. The baseline is the least any store
must do for the same commits: one INSERT of the CMI JSON per commit, from as many threads.
Between the two, the same commits are posted to bench/insert_only_wsgi.py under the same
gunicorn (no framework: one INSERT per POST), the most any HTTP endpoint could reach here.
Prints commits=, portal_seconds=, insert_only_http_seconds= (with its own ratio to the
baseline), baseline_seconds= and, last, ratio= (baseline / portal; the goal is 0.5 or more).
"""
import http.client
import json
import os
import sys
import threading
import time
import uuid

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "1000"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "0"))  # gunicorn's; 0: any free port
COMMITS_EACH = 20  # every 30 s for 10 minutes


def _cmi(step: int) -> dict:
    return {"core": {"lesson_status": "passed" if step == COMMITS_EACH - 1 else "incomplete",
                     "lesson_location": f"page-{step}", "exit": "", "session_time":
                     f"00:{step // 2:02d}:{30 * (step % 2):02d}",
                     "score": {"raw": "", "min": "", "max": ""}},
            "suspend_data": "x" * 400,
            "interactions": {str(n): {"id": f"q{n}", "type": "choice",
                                      "student_response": "a", "result": "correct"}
                             for n in range(min(step, 5))}}


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (see the module docstring).")
    from bench.serving import gunicorn, production_env

    # The sessions are made here and read by gunicorn: both must use the same settings and key.
    env = production_env()
    os.environ.update(env, DJANGO_SETTINGS_MODULE="cpd_portal.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from bench.pages import session_cookie

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from courses.models import Course, Enrolment
    from courses.packages.services import package_extract_now, package_publish, package_upload
    from credits.online.scorm.models import ScoAttempt
    from credits.online.scorm.services import sco_attempt_launch
    from tests.courses.packages.builders import scorm12_zip

    director, _ = User.objects.get_or_create(email="bench-director@hospital.example",
                                             defaults={"full_name": "Bench Director"})
    course, created = Course.objects.get_or_create(
        slug="bench-scorm-commits", defaults={"title": "Benchmark SCORM", "summary": "Bench",
                                              "format": Course.Format.ENDURING,
                                              "status": Course.Status.PUBLISHED})
    if created:
        course.directors.add(director)
        package = package_upload(course=course, editor=director,
                                 upload=SimpleUploadedFile("bench.zip", scorm12_zip()))
        package_extract_now(package_id=package.pk)
        package.refresh_from_db()
        package_publish(package=package, editor=director)
    emails = [f"bench-scorm-{i}@hospital.example" for i in range(LEARNERS)]
    User.objects.bulk_create([User(email=email, full_name=f"Learner {i}")
                              for i, email in enumerate(emails)], ignore_conflicts=True)
    users = list(User.objects.filter(email__in=emails))
    Enrolment.objects.bulk_create([Enrolment(user=user, course=course, status="enrolled")
                                   for user in users], ignore_conflicts=True)
    attempts = {user.pk: sco_attempt_launch(user=user, course=course, sco_number=1).pk
                for user in users}
    cookies = {user.pk: session_cookie(user) for user in users}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_bare_commit "
                       "(id bigserial PRIMARY KEY, attempt_id bigint, commit_id uuid, "
                       "received_at timestamptz, cmi jsonb)")
    connection.close()

    def run(work) -> float:
        chunks = [users[n::THREADS] for n in range(THREADS)]
        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    def portal(address: str, headers=lambda user: cookies[user.pk]):
        host, port = address.split(":")

        def commits(chunk):
            # One connection per client; gunicorn's sync workers close it after each answer
            # and http.client opens the next, as a browser's fresh request would.
            client = http.client.HTTPConnection(host, int(port), timeout=60)
            for step in range(COMMITS_EACH):
                for user in chunk:
                    body = {"commit_id": str(uuid.uuid4()), "terminate": False,
                            "cmi": {"cmi": _cmi(step)}}
                    client.request(
                        "POST", f"/courses/{course.slug}/package/attempts/"
                                f"{attempts[user.pk]}/commit/", json.dumps(body),
                        headers={**headers(user), "Origin": f"http://{address}",
                                 "Content-Type": "application/json"})
                    response = client.getresponse()
                    answer = response.read()
                    assert response.status == 200, answer
            client.close()

        return commits

    def bare(chunk):
        with connection.cursor() as cursor:
            for step in range(COMMITS_EACH):
                for user in chunk:
                    cursor.execute("INSERT INTO bench_bare_commit (attempt_id, commit_id, "
                                   "received_at, cmi) VALUES (%s, %s, now(), %s)",
                                   [attempts[user.pk], str(uuid.uuid4()),
                                    json.dumps(_cmi(step))])
        connection.close()

    baseline_seconds = run(bare)
    with gunicorn("cpd_portal.settings", env, workers=WORKERS, port=PORT,
                  app="bench.insert_only_wsgi:application") as address:
        insert_only_seconds = run(portal(address, headers=lambda user: {}))
    with gunicorn("cpd_portal.settings", env, workers=WORKERS, port=PORT) as address:
        portal_seconds = run(portal(address))
    commits = LEARNERS * COMMITS_EACH
    done = ScoAttempt.objects.filter(course=course, satisfied_at__isnull=False).count()
    print(f"learners={LEARNERS} threads={THREADS} workers={WORKERS} commits={commits} "
          f"completed={done}")
    print(f"portal_seconds={portal_seconds:.2f} ({commits / portal_seconds:.0f} commits/s)")
    print(f"insert_only_http_seconds={insert_only_seconds:.2f} "
          f"({commits / insert_only_seconds:.0f} commits/s, ratio "
          f"{baseline_seconds / insert_only_seconds:.3f})")
    print(f"baseline_seconds={baseline_seconds:.2f} ({commits / baseline_seconds:.0f} inserts/s)")
    print(f"ratio={baseline_seconds / portal_seconds:.3f}")


if __name__ == "__main__":
    main()
