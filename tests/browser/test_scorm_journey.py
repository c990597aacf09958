"""SCORM packages played in Chromium through the real runtime (scorm-again in the portal page,
the package in its sandboxed frame): a clinician fails, closes the browser, resumes on another
"device", fails and finishes, passes in a new attempt, evaluates, claims and gets the
certificate; a hostile package can read nothing of the portal and still counts its commits."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from credits.online.models import ModuleProgress
from credits.online.scorm.models import ScoAttempt, ScoCommit
from tests.browser.conftest import (
    BROWSER_TIMEOUT_MS,
    SCREENSHOT_DIR,
    fill_default_evaluation,
    screenshot,
    sign_in,
    sign_in_with_session,
)
from tests.conftest import wait_for
from tests.courses.packages import builders
from tests.credits.online.helpers import enrol
from tests.credits.online.scorm.helpers import make_package_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    from cpd_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _answer(frame, *, correctly: bool) -> None:
    frame.get_by_label("Every time").check()
    frame.get_by_label("20 to 30 seconds" if correctly else "5 seconds").check()
    frame.get_by_role("button", name="Submit answers").click()


def module_completed():
    return ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def first_attempt_closed():
    return ScoAttempt.objects.filter(number=1, closed_at__isnull=False).exists()


def _wait_for_commits(count: int) -> None:
    def commits_stored():
        return ScoCommit.objects.count() >= count

    wait_for(commits_stored, timeout=30)


def _commits_watched(page) -> set:
    """The page's commit requests that have not answered yet."""
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request)
            if request.url.endswith("/commit/") else None)
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def _commits_answered(page, in_flight: set) -> None:
    for _ in range(100):  # Playwright delivers the page's events while the page waits
        if not in_flight:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"commits still unanswered after 10 s: {[r.url for r in in_flight]}")


def test_clinician_fails_resumes_passes_and_claims_a_scorm_12_module(browser, page, clinician,
                                                                     educator):
    course, _ = make_package_module(director=educator, title="Hand hygiene: the five moments",
                                    release_date=timezone.localdate())
    enrol(clinician, course)
    sign_in(page, clinician)
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_text("Visit 1, resumed at: start")).to_be_visible()
    _wait_for_commits(1)
    _answer(frame, correctly=False)
    expect(frame.get_by_text("Score 50: failed")).to_be_visible()
    _wait_for_commits(2)
    screenshot(page, "scorm-01-player-phone-failed")
    page.context.close()  # the browser is closed without Finish

    desktop = browser.new_context(base_url=page.url.split("/courses/")[0],
                                  viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    commits_in_flight = _commits_watched(page)
    sign_in(page, clinician)
    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Continue").click()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_text("Visit 2, resumed at: page-2")).to_be_visible()
    page.screenshot(path=SCREENSHOT_DIR / "scorm-02-player-desktop-resumed.png")
    frame.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Module finished; your result is saved.")).to_be_visible()
    wait_for(first_attempt_closed, timeout=30)
    # Leave once the player's commits in flight have answered, as a learner's next click
    # would, rather than cut one off (the state asserted above is stored already).
    _commits_answered(page, commits_in_flight)

    page.reload()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_text("Visit 1, resumed at: start")).to_be_visible()  # attempt 2
    _answer(frame, correctly=True)
    expect(frame.get_by_text("Score 100: passed")).to_be_visible()
    frame.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Module finished; your result is saved.")).to_be_visible()
    wait_for(module_completed, timeout=30)
    second = ScoAttempt.objects.get(number=2)
    assert (second.lesson_status, second.score_raw) == ("passed", 100)
    _commits_answered(page, commits_in_flight)

    page.goto(course.get_absolute_url())
    page.locator(".action-card").get_by_role("link", name="Evaluate").click()
    fill_default_evaluation(page, change="Clean hands at all five moments.")
    expect(page.get_by_text("your evaluation is recorded")).to_be_visible()
    page.get_by_label("I attest that the credit I claim").check()
    page.get_by_role("button", name="Claim credit").click()
    expect(page.locator(".transcript-table")).to_contain_text(course.title)
    page.goto(course.get_absolute_url())
    expect(page.locator(".action-card").get_by_role(
        "link", name="Download certificate")).to_be_visible()
    screenshot(page, "scorm-03-course-page-certificate")
    desktop.close()


def test_a_hostile_package_reads_nothing_of_the_portal_and_its_commit_counts(page, clinician,
                                                                             educator):
    course, _ = make_package_module(director=educator, zip_bytes=builders.hostile_zip(),
                                    title="Hostile package")
    enrol(clinician, course)
    sign_in(page, clinician)
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_text("Reported passed without Finish")).to_be_visible()
    expect(frame.get_by_text("cookie: blocked (SecurityError)")).to_be_visible()
    expect(frame.get_by_text("portal page: blocked (SecurityError)")).to_be_visible()
    expect(frame.get_by_text("local storage: blocked (SecurityError)")).to_be_visible()
    screenshot(page, "scorm-04-hostile-package")
    _wait_for_commits(1)

    wait_for(module_completed, timeout=30)
    assert ScoAttempt.objects.get().closed_at is None  # never finished: it stays resumable


def test_clinician_completes_the_demo_scorm_2004_module_part_by_part(page, clinician):
    from courses.models import Course
    from cpd_portal.demo import people, scorm
    from cpd_portal.demo.context import Demo

    demo = Demo(now=timezone.now())
    people.seed(demo)
    scorm.seed(demo)
    course = Course.objects.get(title=scorm.CENTRAL_LINE)
    sign_in(page, clinician)
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_role("heading", name="Why a bundle")).to_be_visible()
    frame.get_by_role("button", name="Next").click()
    expect(frame.get_by_role("heading", name="The five elements")).to_be_visible()
    screenshot(page, "scorm-05-demo-2004-phone")
    frame.get_by_role("button", name="Next").click()
    frame.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Module finished; your result is saved.")).to_be_visible()

    def first_part_done():
        return ScoAttempt.objects.filter(sco_identifier="insertion",
                                         satisfied_at__isnull=False).exists()

    wait_for(first_part_done, timeout=30)
    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Maintenance, access and removal",
                            level=1)).to_be_visible()
    frame = page.frame_locator("#package-frame")
    frame.get_by_role("button", name="Next").click()
    frame.get_by_role("button", name="Next").click()
    for answer in ("Scrub the hub for 5 to 15 seconds and let it dry",
                   "Every 7 days, or sooner if damp, loose or soiled",
                   "Every day; remove it promptly when no longer essential",
                   "ICU patients with central lines", "Every 2 days"):
        frame.get_by_label(answer).check()
    frame.get_by_role("button", name="Check my answers").click()
    expect(frame.get_by_text("You scored 100%")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    # A full-page picture resizes the viewport, which squeezes the frame's content: keep the
    # screen as the learner sees it.
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "scorm-06-demo-2004-desktop-passed.png")
    frame.get_by_role("button", name="Finish").click()
    wait_for(module_completed, timeout=30)
    attempt = ScoAttempt.objects.get(sco_identifier="maintenance")
    assert (attempt.success_status, attempt.score_scaled) == ("passed", 1)


def test_the_director_checks_a_package_and_a_learners_attempt(page, live_server, clinician,
                                                              educator):
    from credits.online.scorm.services import sco_attempt_launch, sco_commit_record

    course, package = make_package_module(director=educator, title="Hand hygiene")
    enrol(clinician, course)
    attempt = sco_attempt_launch(user=clinician, course=course, sco_number=1)
    cmi = {"core": {"lesson_status": "failed", "score": {"raw": "40"}, "exit": "",
                    "session_time": "00:06:00"},
           "interactions": {"0": {"id": "surroundings", "type": "choice",
                                  "student_response": "no", "result": "wrong"}}}
    import uuid

    sco_commit_record(user=clinician, attempt_id=attempt.pk, commit_id=uuid.uuid4(), cmi=cmi,
                      terminate=True)
    sign_in_with_session(page, live_server, educator)
    for name, url in (
            ("package-version", f"/educator/courses/{course.pk}/packages/{package.version}/"),
            ("package-results", f"/educator/courses/{course.pk}/package-results/"),
            ("package-attempt",
             f"/educator/courses/{course.pk}/package-results/attempts/{attempt.pk}/")):
        page.goto(url)
        screenshot(page, f"scorm-{name}-phone")
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, f"scorm-{name}-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_text("surroundings")).to_be_visible()
