"""Signed-in pages benchmark: requests/s and single-client p95 of the pages a clinician uses,
signed in with a real session cookie, against the bare Django view sent the same cookie under
the same gunicorn setup in the same run; and the anonymous catalog pages against the bare view
without a cookie, as bench.catalog measures them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        python -m bench.generate --reset   # once: 10k courses, 100k clinicians, 1M enrolments ...
    DATABASE_URL=... REDIS_URL=... python -m bench.pages [--seconds 10]

The clinician is the data set's one with the most history (licence, enrolments, credit
records). Each signed-in page is also timed on the first request after a change that empties its
cache (`_cold_median_ms`, `_cold_p95_ms`, of COLD_REQUESTS requests: 40 unless set). Prints
name=value lines; the last is ratio=<worst signed-in page rps / bare view rps with the same
cookie>.
"""
import os
import statistics
import sys

import django

from bench.serving import (
    collectstatic,
    gunicorn,
    http_benchmark_args,
    load_client,
    p95,
    page_measure,
    production_env,
    single_client_latencies_ms,
)

# Per page, each after its own change. 40, so that the p95 is not simply the slowest request:
# of 20 it was the second-slowest, and one stray request moved it by tens of ms.
COLD_REQUESTS = int(os.environ.get("COLD_REQUESTS", "40"))


def clinician_with_history():
    """The clinician with a licence and the most enrolments and credit records, and one of
    the published courses they are enrolled in."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from accounts.models import User
    from courses.models import Course, Enrolment
    from credits.ledger.models import CreditRecord

    def count_of(model):
        # A count per clinician in a subquery: joining both tables at once would multiply
        # them (680 rows a clinician at the hospital-system size).
        return Coalesce(Subquery(model.objects.filter(user=OuterRef("pk")).order_by()
                                 .values("user").annotate(n=Count("pk")).values("n")), 0)

    clinician = (User.objects.filter(licences__isnull=False, is_staff=False)
                 .annotate(history=count_of(Enrolment) + count_of(CreditRecord))
                 .order_by("-history", "pk").first())
    if clinician is None:
        sys.exit("No clinicians: load the data set with python -m bench.generate")
    course = (Course.objects.filter(status=Course.Status.PUBLISHED,
                                    enrolments__user=clinician).order_by("pk").first())
    return clinician, course


def session_cookie(user) -> dict:
    """A real session for `user`, made the way Django's login makes one."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}="
                      f"{client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def main() -> None:
    args = http_benchmark_args(__doc__)
    # The session is made here and read by gunicorn: both must use the same settings and key.
    env = production_env()
    os.environ.update(env, DJANGO_SETTINGS_MODULE="cpd_portal.settings")
    django.setup()

    clinician, course = clinician_with_history()
    term = course.title.split()[0].lower()
    cookie = session_cookie(clinician)
    print(f"load_client={load_client()}")
    print(f"clinician_enrolments={clinician.enrolments.count()}")
    print(f"clinician_credit_records={clinician.credit_records.count()}")
    public = {"catalog": "/courses/", "search": f"/courses/?q={term}",
              "course": f"/courses/{course.slug}/"}
    signed_in = {**public, "learning": "/learning/", "transcript": "/transcript/"}

    collectstatic(env)
    bare = {}
    with gunicorn("bench.bare_settings", env) as address:
        for label, headers in (("anonymous", None), ("signed_in", cookie)):
            bare[label] = page_measure(address, "/", args, headers)
            print(f"bare_{label}_rps={bare[label][0]:.1f}")
            print(f"bare_{label}_p95_ms={bare[label][1]:.2f}")

    worst = None
    with gunicorn("cpd_portal.settings", env) as address:
        for label, pages, headers in (("anonymous", public, None),
                                      ("signed_in", signed_in, cookie)):
            for name, path in pages.items():
                rps, latency = page_measure(address, path, args, headers)
                print(f"{label}_{name}_rps={rps:.1f}")
                print(f"{label}_{name}_p95_ms={latency:.2f}")
                if label == "signed_in":
                    worst = rps if worst is None else min(worst, rps)
        # First request after a change to a table the page reads (caching.parts): the catalog
        # and search after an edit of a course, the course page after a write to its course's
        # sessions, My learning and the transcript after a write to one of the viewer's credit
        # records.
        own_row_change = viewer_change(clinician)
        changes = {"catalog": course_edit(course), "search": course_edit(course),
                   "course": course_change(course), "learning": own_row_change,
                   "transcript": own_row_change}
        for name, path in signed_in.items():
            latencies = cold_latencies_ms(address, path, cookie, changes[name])
            print(f"signed_in_{name}_cold_median_ms={statistics.median(latencies):.2f}")
            print(f"signed_in_{name}_cold_p95_ms={p95(latencies):.2f}")
    print(f"ratio={worst / bare['signed_in'][0]:.3f}")


def course_edit(course):
    from django.db.models import F

    from courses.models import Course

    def change() -> None:
        # A new version of the course's row, as an educator's edit makes.
        Course.objects.filter(pk=course.pk).update(title=F("title"))

    return change


def course_change(course):
    from django.db.models import F

    from courses.models import Session

    def change() -> None:
        # New versions of the course's session rows, as an educator's edit makes: the course
        # is read again and the page rendered again.
        Session.objects.filter(course=course).update(location=F("location"))

    return change


def viewer_change(user):
    from django.db.models import F

    from credits.ledger.models import CreditRecord

    record = CreditRecord.objects.filter(user=user).order_by("pk").values_list("pk", flat=True)[0]

    def change() -> None:
        # A write to one of the viewer's credit records (the same amount: the ledger's trigger
        # refuses a new one), as a claim or a void makes.
        CreditRecord.objects.filter(pk=record).update(amount=F("amount"))

    return change


def cold_latencies_ms(address, path, headers, change) -> list[float]:
    latencies = []
    for _ in range(COLD_REQUESTS):
        change()
        latencies += single_client_latencies_ms(address, path, 1, headers)
    return latencies


if __name__ == "__main__":
    main()
