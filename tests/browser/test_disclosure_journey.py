"""Journey: a faculty member fills their disclosure from the emailed link (no account); the
course director records the mitigation; the CME office publishes; learners read the
disclosure before enrolling."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import OutgoingMessage
from accounts.tasks import outgoing_message_batch_send
from courses.models import Course
from tests.browser.conftest import SCREENSHOT_DIR, screenshot, sign_in_with_session
from tests.browser.test_publishing_journey import DESKTOP, PHONE
from tests.factories import (
    CreditDesignationFactory,
    DisclosureFactory,
    DraftCourseFactory,
    FacultyFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _both_widths(page, name: str) -> None:
    page.set_viewport_size(PHONE)
    screenshot(page, f"disclosure-{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"disclosure-{name}-desktop")


def _send_queued() -> None:
    ids = list(OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED)
               .values_list("pk", flat=True))
    outgoing_message_batch_send.apply(args=[ids]).get()


def test_faculty_discloses_from_the_email_director_mitigates_and_the_course_publishes(
        page, live_server, educator, admin_user, clinician):
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(hour=12, minute=0, second=0,
                                                                     microsecond=0)
    course = DraftCourseFactory(title="Heart Failure Update 2027", directors=[educator],
                                summary="Guideline-directed therapy for HFrEF and HFpEF.")
    okafor = FacultyFactory(full_name="Sam Okafor", degree="MD", email="sokafor@cardio.example")
    SessionFactory(course=course, faculty=[okafor], starts_at=starts,
                   ends_at=starts + datetime.timedelta(hours=1), location="Auditorium B")
    DisclosureFactory(course=course, faculty=FacultyFactory(full_name="Ruth Goldberg"),
                      role="planner")
    CreditDesignationFactory(course=course, max_credits=1)

    # The director asks for the missing disclosure.
    sign_in_with_session(page, live_server, educator)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/educator/courses/{course.pk}/")
    page.get_by_role("link", name="Disclosures and mitigation").click()
    expect(page.get_by_text("missing or lapsed for Sam Okafor")).to_be_visible()
    page.get_by_role("button", name="Email disclosure links to 1 person without one").click()
    expect(page.get_by_text("Disclosure link emailed to 1 person.")).to_be_visible()
    _both_widths(page, "review-before")

    # The email, with its signed link.
    _send_queued()
    email = mail.outbox[-1]
    assert email.to == ["sokafor@cardio.example"]
    html = email.alternatives[0][0]
    page.goto("about:blank")  # as in a mail app: not a portal page, so not under its CSP
    page.set_content(html)
    _both_widths(page, "email")
    path = re.search(r"https?://[^/\s]+(/disclose/[^\s]+/)", email.body).group(1)

    # Dr Okafor, without an account, discloses a consultancy and signs.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Financial relationships disclosure")).to_be_visible()
    page.get_by_role("textbox", name="Ineligible company").fill("Cardiora Therapeutics")
    page.get_by_label("Nature of the relationship").select_option("consultant")
    page.get_by_label("Type your full name to sign").fill("Sam Okafor")
    _both_widths(page, "form")
    page.get_by_role("button", name="Sign and submit").click()
    expect(page.get_by_role("heading", name="Thank you, Sam Okafor")).to_be_visible()
    expect(page.get_by_text("Consultant, Cardiora Therapeutics")).to_be_visible()
    _both_widths(page, "signed")
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="This disclosure is already signed")).to_be_visible()

    # The director judges it relevant and records peer review of the content.
    sign_in_with_session(page, live_server, educator)
    page.goto(f"/educator/courses/{course.pk}/disclosures/review/")
    expect(page.get_by_role("heading", name="Consultant, Cardiora Therapeutics")).to_be_visible()
    page.get_by_label("Relevant: the content relates").check()
    page.get_by_label("Mitigation step").select_option("peer_review")
    _both_widths(page, "review-deciding")
    page.get_by_role("button", name="Record mitigation").click()
    expect(page.get_by_text("Mitigation recorded for Sam Okafor, MD")).to_be_visible()
    expect(page.get_by_text("Relevant · Peer review of content")).to_be_visible()
    _both_widths(page, "review-after")

    page.goto(f"/educator/courses/{course.pk}/")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()

    # The CME office publishes.
    sign_in_with_session(page, live_server, admin_user)
    page.goto(f"/review/{course.pk}/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published “Heart Failure Update 2027”")).to_be_visible()
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED

    # A learner reads the disclosure before the Enrol button.
    sign_in_with_session(page, live_server, clinician)
    page.goto(course.get_absolute_url())
    block = page.locator("section[aria-labelledby=disclosure-heading]")
    expect(block).to_contain_text("Sam Okafor, MD (faculty): Consultant, Cardiora Therapeutics.")
    expect(block).to_contain_text("All relevant financial relationships have been mitigated.")
    page.set_viewport_size(PHONE)
    block.screenshot(path=SCREENSHOT_DIR / "disclosure-learner-block-phone.png")
    page.set_viewport_size(DESKTOP)
    block.screenshot(path=SCREENSHOT_DIR / "disclosure-learner-block-desktop.png")
    _both_widths(page, "course-page")
