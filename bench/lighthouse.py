"""Lighthouse benchmark: performance, accessibility and best-practices scores of the pages a
clinician opens on her phone (My learning, the catalog, a lesson, the drill), signed in as the
demo clinician, on Lighthouse's default phone profile (a mid-range Android phone, simulated slow
4G and a 4x slower CPU), against a bare Django page under the same gunicorn in the same run.

    createdb -h 127.0.0.1 -U postgres cpd_lighthouse
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_lighthouse \\
        REDIS_URL=redis://127.0.0.1:6379/9 python -m bench.lighthouse [--port 62100]

It migrates the database and loads the demo into it (cpd_portal.demo; use a database of its
own), installs Lighthouse 12.2.3 from bench/lighthouse/package-lock.json with npm ci (12.2.3 is
the last release that runs on Node 20; 12 has no PWA category), and runs it on Debian's Chromium.
Prints name=value lines (scores 0-100, metrics in ms); the last is ratio=<worst portal page's
performance score / the bare page's>.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import django

from bench.serving import collectstatic, gunicorn, production_env

LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules/.bin/lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {"first-contentful-paint": "fcp_ms", "largest-contentful-paint": "lcp_ms",
           "total-blocking-time": "tbt_ms", "cumulative-layout-shift": "cls"}


def arguments():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0,
                        help="gunicorn's port (Chromium's debugging port is the next one); "
                             "0: any free port")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of the benchmark's own.")
    return args


def lighthouse_install() -> None:
    """npm ci from the committed lock, once (again only if the lock changed since)."""
    stamp = LIGHTHOUSE_DIR / "node_modules/.package-lock.json"
    lock = LIGHTHOUSE_DIR / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=LIGHTHOUSE_DIR, check=True)


def demo_pages(clinician) -> dict:
    """The paths of the pages the demo clinician opens most on a phone."""
    from django.urls import reverse

    from courses.models import Course
    from cpd_portal.demo import drills, online
    from credits.online.models import ModuleProgress

    module = Course.objects.get(title=online.TITLE)
    lesson = ModuleProgress.objects.get(user=clinician, course=module).last_lesson
    drill = Course.objects.get(title=drills.TITLE)
    return {"learning": reverse("learning:my_learning"),
            "catalog": reverse("courses:catalog"),
            "lesson": reverse("online:lesson", kwargs={"slug": module.slug,
                                                       "lesson_id": lesson.pk}),
            "drill": reverse("drills:drill", kwargs={"slug": drill.slug})}


def lighthouse_run(url: str, headers: dict, debugging_port: int) -> dict:
    """One Lighthouse run on the default (phone) profile: category scores and metrics."""
    completed = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--port={debugging_port}",
         f"--extra-headers={json.dumps(headers)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, check=True)
    report = json.loads(completed.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not load {url}: {report['runtimeError']}")
    if report["finalDisplayedUrl"] != url:  # the sign-in page measured instead, say
        raise RuntimeError(f"{url} ended at {report['finalDisplayedUrl']}")
    result = {category.replace("-", "_"): round(report["categories"][category]["score"] * 100)
              for category in CATEGORIES}
    for audit, name in METRICS.items():
        value = report["audits"][audit]["numericValue"]
        result[name] = round(value, 3) if name == "cls" else round(value)
    result["failing"] = sorted(
        audit_id for category in ("accessibility", "best-practices")
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] not in (None, 1))
    return result


def main() -> None:
    args = arguments()
    env = production_env()
    # The session is made here and read by gunicorn: both must use the same settings and key.
    os.environ.update(env, DJANGO_SETTINGS_MODULE="cpd_portal.settings")
    django.setup()
    from django.core.management import call_command

    from bench.pages import session_cookie
    from cpd_portal.demo.seed import demo_seed

    lighthouse_install()
    call_command("migrate", verbosity=0)
    clinician = demo_seed().clinician
    paths = demo_pages(clinician)
    cookie = session_cookie(clinician)
    collectstatic(env)

    with gunicorn("bench.bare_settings", env, port=args.port) as address:
        bare = lighthouse_run(f"http://{address}/", {}, debugging_port(address))
    print(f"bare_performance={bare['performance']}")

    worst = 100
    with gunicorn("cpd_portal.settings", env, port=args.port) as address:
        for name, path in paths.items():
            scores = lighthouse_run(f"http://{address}{path}", cookie, debugging_port(address))
            for key, value in scores.items():
                print(f"{name}_{key}={','.join(value) if key == 'failing' else value}")
            worst = min(worst, scores["performance"])
    print(f"ratio={worst / bare['performance']:.3f}")


def debugging_port(address: str) -> int:
    """Chromium's DevTools port: next to gunicorn's, so both stay in a range given to --port."""
    return int(address.rsplit(":", 1)[1]) + 1


if __name__ == "__main__":
    main()
