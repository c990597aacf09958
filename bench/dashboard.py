"""Dashboard benchmark: licence requirement progress against the benchmark data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench python -m bench.dashboard

Times `requirement_progress_for` (all of its queries) for 200 random clinicians whose licence
has an active requirement set, and, as the baseline, the same clinicians' single indexed
`SELECT sum(amount) FROM credits_creditrecord WHERE user_id = ...`. Load the data first with
`python -m bench.generate`. Prints p50/p95 of both and, last, ratio = baseline p95 / portal p95.
"""
import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Licence, User  # noqa: E402
from credits.models import CreditRecord, RequirementSet  # noqa: E402
from credits.requirements.selectors import requirement_progress_for  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed_ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def baseline_sum(user_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(amount) FROM credits_creditrecord WHERE user_id = %s",
                       [user_id])
        cursor.fetchone()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clinicians", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tracked = RequirementSet.objects.filter(is_active=True, state=OuterRef("state"),
                                            profession=OuterRef("profession"))
    user_ids = list(Licence.objects.filter(Exists(tracked))
                    .values_list("user_id", flat=True).distinct())
    if not user_ids:
        raise SystemExit("No clinician has a tracked licence: run python -m bench.generate.")
    chosen = random.Random(args.seed).sample(user_ids, min(args.clinicians, len(user_ids)))
    users = list(User.objects.filter(pk__in=chosen))
    random.Random(args.seed).shuffle(users)

    for user in users[:10]:  # warm the connection and the caches the same way for both
        requirement_progress_for(user)
        baseline_sum(user.pk)
    portal, baseline = [], []
    with CaptureQueriesContext(connection) as queries:
        for user in users:
            portal.append(timed_ms(lambda user=user: requirement_progress_for(user)))
    queries_per_call = len(queries) / len(users)
    reset_queries()
    for user in users:
        baseline.append(timed_ms(lambda user=user: baseline_sum(user.pk)))

    portal_p95, baseline_p95 = percentile(portal, 0.95), percentile(baseline, 0.95)
    print(f"credit_records={CreditRecord.objects.count()}")
    print(f"clinicians={len(users)}")
    print(f"queries_per_call={queries_per_call:g}")
    print(f"p50_ms={statistics.median(portal):.2f}")
    print(f"p95_ms={portal_p95:.2f}")
    print(f"baseline_p50_ms={statistics.median(baseline):.2f}")
    print(f"baseline_p95_ms={baseline_p95:.2f}")
    print(f"ratio={baseline_p95 / portal_p95:.3f}")


if __name__ == "__main__":
    main()
