"""Journey: an educator creates a weekly series with credit and disclosures and submits it; the
CME office opens the review queue and publishes it."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.models import OutgoingMessage
from courses.models import Course, Faculty
from tests.browser.conftest import screenshot, sign_in_with_session
from tests.factories import FinancialDisclosureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _both_widths(page, name: str) -> None:
    page.set_viewport_size(PHONE)
    screenshot(page, f"publishing-{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"publishing-{name}-desktop")


def _next_tuesday() -> datetime.date:
    today = datetime.date.today()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def test_educator_submits_a_weekly_series_and_the_cme_office_publishes_it(
        page, live_server, educator, admin_user):
    sign_in_with_session(page, live_server, educator)
    page.set_viewport_size(DESKTOP)
    page.goto("/educator/")
    _both_widths(page, "my-courses-empty")
    page.get_by_role("link", name="New course").first.click()

    page.get_by_label("Title").fill("Medicine Grand Rounds")
    page.get_by_label("Summary").fill("Weekly case-based update for the department of medicine.")
    page.get_by_label("Learning objectives").fill(
        "Apply current sepsis guidelines\nRecognise opioid use disorder")
    page.get_by_label("Format").select_option("rss")
    page.get_by_label("Risk management").check()
    page.get_by_label("Physician", exact=True).check()
    page.get_by_label("Seats").fill("80")
    _both_widths(page, "course-form")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", name="Medicine Grand Rounds")).to_be_visible()

    page.get_by_role("link", name="Add a series").click()
    page.get_by_label("Tuesday").check()
    page.get_by_label("Start time").fill("07:30")
    page.get_by_label("End time").fill("08:30")
    page.get_by_label("Starting on").fill(_next_tuesday().isoformat())
    page.get_by_label("Number of sessions").fill("10")
    page.get_by_label("Location").fill("Auditorium B")
    _both_widths(page, "series-form")
    page.get_by_role("button", name="Create sessions").click()
    expect(page.get_by_text("Added a series of 10 sessions.")).to_be_visible()

    page.get_by_role("link", name="Add faculty or planner").click()
    page.get_by_label("Or a new person: full name").fill("Ana Costa")
    page.get_by_label("Degree").select_option("MD")
    page.locator("input[name=sessions]").first.check()
    _both_widths(page, "faculty-form")
    page.get_by_role("button", name="Add and choose role").click()
    expect(page.get_by_role("heading", name="Add a person in control of content")).to_be_visible()
    _both_widths(page, "disclosure-form")
    page.get_by_role("button", name="Save role").click()
    # Ana signs her own disclosure from an emailed link (tests/browser/test_disclosure_journey).
    FinancialDisclosureFactory(person=Faculty.objects.get(full_name="Ana Costa"))
    # The director, listed as course director when she created it, plans it and discloses too.
    expect(page.get_by_text(re.compile(f"missing or lapsed for .*{educator.full_name}"))
           ).to_be_visible()
    FinancialDisclosureFactory(person=Faculty.objects.get(user=educator))

    page.get_by_role("link", name="Add a designation").click()
    page.get_by_label("Credit type").select_option("ama_pra_1")
    page.get_by_label("Maximum credit").fill("10.00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("10.00 AMA PRA Category 1 Credits™")).to_be_visible()
    expect(page.get_by_text("Everything the CME office needs is here.")).to_be_visible()
    _both_widths(page, "course-overview")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    page.goto("/educator/")
    expect(page.get_by_text("In review", exact=True)).to_be_visible()
    _both_widths(page, "my-courses")

    sign_in_with_session(page, live_server, admin_user)
    page.goto("/review/")
    expect(page.get_by_text("Nothing: ready to publish")).to_be_visible()
    _both_widths(page, "review-queue")
    page.get_by_role("link", name="Medicine Grand Rounds").click()
    expect(page.get_by_text("no financial relationships")).to_have_count(2)  # Ana and the director
    _both_widths(page, "review-course")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published “Medicine Grand Rounds”")).to_be_visible()

    course = Course.objects.get(title="Medicine Grand Rounds")
    assert course.status == Course.Status.PUBLISHED
    assert course.sessions.count() == 10
    assert OutgoingMessage.objects.filter(kind="course_published", recipient=educator).exists()
