"""Journey on a phone: the course page's one button follows the clinician from Check in to
Evaluate to Claim credit, and the claim lands on the transcript."""
import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from courses.credit_types import CreditType
from credits.models import Attendance
from tests.browser.conftest import fill_default_evaluation, screenshot
from tests.factories import (
    TEST_PASSWORD,
    CourseFactory,
    CreditDesignationFactory,
    EnrolmentFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_goes_from_check_in_to_transcript_through_the_course_page(page, clinician):
    now = timezone.now().replace(microsecond=0)
    course = CourseFactory(title="Sepsis: the first hour", claim_window_days=30)
    session = SessionFactory(course=course, starts_at=now - datetime.timedelta(minutes=10),
                             ends_at=now + datetime.timedelta(minutes=50))
    CreditDesignationFactory(course=course, credit_type=CreditType.AMA_PRA_1,
                             max_credits=Decimal("1.00"))
    EnrolmentFactory(course=course, user=clinician)
    later = CourseFactory(title="Opioid stewardship")
    SessionFactory(course=later, starts_at=now + datetime.timedelta(days=2),
                   ends_at=now + datetime.timedelta(days=2, hours=1))
    EnrolmentFactory(course=later, user=clinician)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    upcoming = page.locator("section[aria-labelledby=upcoming-heading]")
    expect(upcoming.get_by_role("link", name="Check in")).to_be_visible()
    expect(upcoming.get_by_role("button", name="Check in")).to_be_disabled()
    expect(upcoming.get_by_text("Check-in opens")).to_be_visible()
    screenshot(page, "journey-01-my-learning-check-in")

    page.goto(course.get_absolute_url())
    expect(page.get_by_text("Check-in is open for")).to_be_visible()
    screenshot(page, "journey-02-course-page-check-in")
    page.locator(".action-card").get_by_role("link", name="Check in").click()
    page.get_by_label("Check-in code").fill(session.checkin_code)
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("You're checked in to")).to_be_visible()
    expect(page.get_by_role("heading", name="Your next step")).to_be_visible()
    expect(page.get_by_role("link", name="Evaluate")).to_be_visible()
    screenshot(page, "journey-03-checked-in")

    page.goto("/learning/")
    expect(upcoming.get_by_text("Checked in")).to_be_visible()

    # The session ends (time moves on for the session and her check-in alike: she checked in
    # 10 minutes after the start, within the grace period); the evaluation comes first, then
    # the claim.
    shift = session.starts_at - (now - datetime.timedelta(hours=3))
    session.starts_at -= shift
    session.ends_at -= shift
    session.save(update_fields=["starts_at", "ends_at"])
    Attendance.objects.filter(session=session).update(checked_in_at=F("checked_in_at") - shift)
    page.goto(course.get_absolute_url())
    evaluate = page.locator(".action-card").get_by_role("link", name="Evaluate")
    expect(evaluate).to_be_visible()
    screenshot(page, "journey-04-course-page-evaluate")
    evaluate.click()
    fill_default_evaluation(page, change="Lactate within the first hour.")
    expect(page.get_by_text("your evaluation is recorded")).to_be_visible()

    page.goto(course.get_absolute_url())
    claim = page.locator(".action-card").get_by_role("link", name="Claim credit")
    expect(claim).to_be_visible()
    expect(page.locator(".action-card")).to_contain_text("days left to claim")
    screenshot(page, "journey-05-course-page-claim")
    claim.click()
    expect(page.get_by_label("AMA PRA Category 1 Credits™")).to_have_value("1.00")
    page.get_by_role("button", name="Claim credit").click()

    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.locator(".transcript-table")).to_contain_text("Sepsis: the first hour")
    screenshot(page, "journey-06-transcript")

    page.goto(course.get_absolute_url())
    expect(page.get_by_text("Your certificate is being made")).to_be_visible()
    screenshot(page, "journey-07-course-page-certificate-pending")
