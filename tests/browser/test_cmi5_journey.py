"""The demo cmi5 course played in Chromium: each AU in the portal's sandboxed frame fetches its
token once, reads LMS.LaunchData and reports to the portal's xAPI endpoint across the opaque
origin; the checks part completes, the reactions part fails then passes, and the module is
complete with the statements in the cmi5 order."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cpd_portal.demo.scorm import TRANSFUSION, package_zip
from credits.online.cmi5.models import Statement
from tests.browser.conftest import SCREENSHOT_DIR, screenshot, sign_in
from tests.browser.test_scorm_journey import module_completed
from tests.conftest import wait_for
from tests.credits.online.helpers import enrol
from tests.credits.online.scorm.helpers import make_package_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(frame, *answers: str) -> None:
    for answer in answers:
        frame.get_by_label(answer).check()
    frame.get_by_role("button", name="Check my answers").click()


def test_clinician_plays_the_demo_cmi5_course_to_completion(browser, page, clinician,
                                                            educator):
    # Each part sends "terminated" as the learner leaves it (cmi5-au.js); what the portal
    # recorded is checked below.
    browser.allow_abort_on_leaving("/cmi5/xapi/statements")
    course, _ = make_package_module(director=educator, title=TRANSFUSION,
                                    zip_bytes=package_zip("transfusion_cmi5"),
                                    release_date=timezone.localdate())
    enrol(clinician, course)
    sign_in(page, clinician)
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_text("Ready. Your progress is recorded")).to_be_visible()
    frame.get_by_role("button", name="I have read the checks").click()
    expect(frame.get_by_text("Recorded as read.")).to_be_visible()
    screenshot(page, "cmi5-01-checks-phone")
    frame.get_by_role("button", name="Finish this part").click()
    expect(frame.get_by_text("Finished. Your result is saved")).to_be_visible()

    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Recognising and managing a reaction",
                            level=1)).to_be_visible()
    frame = page.frame_locator("#package-frame")
    expect(frame.get_by_text("Ready. Your progress is recorded")).to_be_visible()
    _answer(frame, "Slow the rate and recheck in an hour", "From the identification band",
            "0.9% saline through a new giving set")
    expect(frame.get_by_text("Score 67%: not yet 80%")).to_be_visible()
    _answer(frame, "Stop the transfusion")
    expect(frame.get_by_text("Score 100%: passed.")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "cmi5-02-reactions-desktop-passed.png")
    frame.get_by_role("button", name="Finish this part").click()
    # Shown once the portal has answered the part's "terminated".
    expect(frame.get_by_text("Finished. Your result is saved")).to_be_visible()
    wait_for(module_completed, timeout=30)

    def terminated_twice():
        return Statement.objects.filter(verb_id__endswith="/terminated").count() == 2

    wait_for(terminated_twice, timeout=30)
    verbs = [row.verb_id.rsplit("/", 1)[1] for row in Statement.objects.order_by("stored_at",
                                                                                  "pk")]
    assert verbs == ["launched", "initialized", "completed", "terminated",
                     "launched", "initialized", "completed", "failed", "passed", "satisfied",
                     "terminated"]
