"""Catalog benchmark: requests/s and single-client p95 of the catalog, a search and a course page,
against a bare Django view served by the same gunicorn setup in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        python -m bench.generate          # once: 10k courses, 50k sessions, 100k clinicians ...
    DATABASE_URL=... REDIS_URL=... python -m bench.catalog [--seconds 10]

Prints name=value lines; the last is ratio=<worst portal page rps / bare view rps>.
"""
import os
import sys

import django

from bench.serving import collectstatic, gunicorn, http_benchmark_args, page_measure, production_env


def course_slug_and_search_term() -> tuple[str, str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    django.setup()
    from courses.models import Course

    published = Course.objects.filter(status=Course.Status.PUBLISHED)
    count = published.count()
    if count < 1000:
        sys.exit(f"Only {count} published courses: load the data set with python -m bench.generate")
    course = published.order_by("pk")[count // 2]
    return course.slug, course.title.split()[0].lower()


def main() -> None:
    args = http_benchmark_args(__doc__)
    slug, term = course_slug_and_search_term()
    env = production_env()
    collectstatic(env)
    pages = {"catalog": "/courses/", "search": f"/courses/?q={term}",
             "course": f"/courses/{slug}/"}

    with gunicorn("bench.bare_settings", env) as address:
        bare_rps, bare_p95 = page_measure(address, "/", args)
    print(f"bare_rps={bare_rps:.1f}")
    print(f"bare_p95_ms={bare_p95:.2f}")

    worst_rps = None
    with gunicorn("cpd_portal.settings", env) as address:
        for name, path in pages.items():
            rps, latency = page_measure(address, path, args)
            print(f"{name}_rps={rps:.1f}")
            print(f"{name}_p95_ms={latency:.2f}")
            worst_rps = rps if worst_rps is None else min(worst_rps, rps)
    print(f"ratio={worst_rps / bare_rps:.3f}")


if __name__ == "__main__":
    main()
