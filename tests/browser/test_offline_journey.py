"""The installed app on a phone with no signal: a started module's lesson, today's drill
question and check-in open from the copies the service worker kept; a drill answer, a
check-in and the lesson read are kept on the phone; when the connection returns they are sent
(the queue replayed twice, as when a response is lost) and each is recorded once, at the time it
was done. Sign-out empties the phone's copies."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from credits.drills.models import DrillAnswer, DrillDelivery
from credits.drills.services import drill_deliveries_scan, drill_join
from credits.models import Attendance
from credits.online.models import LessonView
from credits.online.services import module_start
from tests.browser.conftest import screenshot
from tests.conftest import wait_for
from tests.credits.drills.helpers import make_drill
from tests.credits.online.helpers import enrol, make_module
from tests.factories import TEST_PASSWORD, CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE_SIZE = """async () => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("workbox-background-sync");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  if (!db.objectStoreNames.contains("requests")) return 0;
  return await new Promise((resolve) => {
    const count = db.transaction("requests").objectStore("requests").count();
    count.onsuccess = () => resolve(count.result);
  });
}"""
# Each kept action a second time, as when the first send reached the portal but its answer
# never came back: the replay then sends every action twice.
QUEUE_DOUBLE = """async () => {
  const db = await new Promise((resolve) => {
    const open = indexedDB.open("workbox-background-sync");
    open.onsuccess = () => resolve(open.result);
  });
  const store = db.transaction("requests", "readwrite").objectStore("requests");
  const entries = await new Promise((resolve) => {
    const all = store.getAll();
    all.onsuccess = () => resolve(all.result);
  });
  for (const entry of entries) { const copy = {...entry}; delete copy.id; store.add(copy); }
  return entries.length;
}"""
CACHED_PATHS = """async () => (await (await caches.open("cpd-pages")).keys())
  .map((request) => new URL(request.url).pathname)"""


def test_a_phone_without_signal_reads_answers_and_checks_in_and_each_counts_once(
        page, browser, live_server, clinician, educator):
    module = make_module(lessons=2, questions=0)
    enrol(clinician, module)
    module_start(user=clinician, course=module)
    lesson = module.lessons.last()
    drill = make_drill(questions=2, delivery_hour=0, quiet_hour=24, weekdays_only=False)
    drill_join(user=clinician, course=drill)
    drill_deliveries_scan(now=timezone.now())
    delivery = DrillDelivery.objects.order_by("pk").first()
    now = timezone.now()
    session = SessionFactory(course=CourseFactory(title="Sepsis Grand Rounds",
                                                  directors=[educator]),
                             starts_at=now - datetime.timedelta(minutes=10),
                             ends_at=now + datetime.timedelta(minutes=50))
    EnrolmentFactory(user=clinician, course=session.course)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()
    lesson_path = f"/courses/{module.slug}/learn/{lesson.pk}/"
    question_path = f"/drills/{drill.slug}/questions/{delivery.pk}/"
    page.locator("body[data-offline-ready]").wait_for(state="attached")
    # Chromium's own check that the portal can be installed (manifest, icons, service worker):
    # Lighthouse 12 no longer scores it. A test's browser context is incognito, which Chromium
    # names as the one thing in the way; anything of the portal's would be named beside it.
    devtools = page.context.new_cdp_session(page)
    errors = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors] == ["in-incognito"], errors
    cached = page.evaluate(CACHED_PATHS)
    assert {"/learning/", "/checkin/", lesson_path, question_path} <= set(cached)
    assert not LessonView.objects.filter(lesson=lesson).exists()  # kept, not yet read

    page.context.set_offline(True)
    with page.expect_response(f"**{lesson_path}read/"):  # the read, kept on the phone
        page.goto(lesson_path)
    expect(page.get_by_role("heading", name=lesson.title)).to_be_visible()
    expect(page.get_by_text("Offline - last updated")).to_be_visible()
    expect(page.locator("[data-offline-queue]")).to_have_text(re.compile(r":\s*1$"))
    screenshot(page, "offline-01-lesson-phone")
    page.goto(question_path)
    page.get_by_text("Option A of", exact=False).first.click()
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    page.goto("/checkin/")
    page.get_by_label("Check-in code").fill(session.checkin_code)
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    expect(page.locator("[data-offline-queue]")).to_have_text(re.compile(r":\s*3$"))
    # The service worker reports the queue's size once Workbox has added the request, which
    # is before the IndexedDB transaction commits: another connection sees it a moment later.
    wait_for(lambda: page.evaluate(QUEUE_SIZE) == 3, timeout=30)
    screenshot(page, "offline-02-saved-phone")
    assert not DrillAnswer.objects.exists() and not Attendance.objects.exists()
    assert not LessonView.objects.filter(lesson=lesson).exists()

    assert page.evaluate(QUEUE_DOUBLE) == 3
    done_offline = timezone.now()
    page.context.set_offline(False)
    expect(page.get_by_text("Back online: what you did offline has been sent.")).to_be_visible()
    assert page.evaluate(QUEUE_SIZE) == 0

    answer = DrillAnswer.objects.get()
    attendance = Attendance.objects.get()
    read = LessonView.objects.get(lesson=lesson)
    assert (answer.delivery_id, answer.option.is_correct) == (delivery.pk, True)
    assert attendance.session_id == session.pk and attendance.status == "present"
    # At the time each was done on the phone, not when the connection returned.
    for moment in (answer.answered_at, attendance.checked_in_at, read.first_viewed_at):
        assert moment <= done_offline
    page.goto("/learning/")
    expect(page.get_by_text("You're checked in to Sepsis Grand Rounds")).to_be_visible()
    expect(page.get_by_text("You're already checked in to Sepsis Grand Rounds")).to_be_visible()
    expect(page.get_by_text("your first answer counts")).to_be_visible()
    screenshot(page, "offline-03-back-online-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "offline-04-back-online-desktop")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
           ).to_be_visible()
    assert page.evaluate(CACHED_PATHS) == []

